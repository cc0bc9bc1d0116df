/* A cheap load generator for the ingest benchmark: replays a fleet's .tlog over loopback UDP.
 *
 * `furrow simulate --tlog` encodes the fleet's frames once (real per-drone MAVLink streams: distinct
 * sysid/compid, real sequence numbers, time order); this program sends them, one frame per datagram,
 * from one connected UDP socket per sender (sysid/compid), so the daemon sees a distinct peer per
 * drone, exactly as `furrow simulate --socket-per-drone` does — without generating frames or running
 * Swift's runtime on the shared cores. Pacing: frame i is due at i / rate seconds; every 1 ms tick sends
 * what is due, and the frames one socket has due in a tick go out in one sendmmsg call.
 *
 * Sockets are blocking (a full send buffer waits, it does not drop locally). At the end it prints one JSON
 * line on standard output: datagrams and bytes sent, elapsed seconds, its own user and system CPU seconds.
 *
 *     cc -O2 -o udp_fleet udp_fleet.c
 *     udp_fleet FILE.tlog HOST PORT RATE [MAX_FRAMES]
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#define PER_CALL 64

static double now(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return t.tv_sec + t.tv_nsec / 1e9;
}

static double seconds(struct timeval t) { return t.tv_sec + t.tv_usec / 1e6; }

/* Length of the MAVLink frame at p (at most `left` bytes), or 0 if there is none. */
static size_t frame_length(const unsigned char *p, size_t left) {
    if (left >= 3 && p[0] == 0xFD) return (size_t)p[1] + 12 + ((p[2] & 1) ? 13 : 0);
    if (left >= 2 && p[0] == 0xFE) return (size_t)p[1] + 8;
    return 0;
}

int main(int argc, char **argv) {
    if (argc < 5) {
        fprintf(stderr, "usage: %s FILE.tlog HOST PORT RATE [MAX_FRAMES]\n", argv[0]);
        return 2;
    }
    double rate = atof(argv[4]);
    long limit = argc > 5 ? atol(argv[5]) : -1;
    if (!(rate > 0)) { fprintf(stderr, "rate must be positive\n"); return 2; }

    /* The whole file in memory, then an index of its frames: offset, length, socket. */
    int in = open(argv[1], O_RDONLY);
    if (in < 0) { perror(argv[1]); return 1; }
    struct stat st;
    fstat(in, &st);
    unsigned char *data = malloc(st.st_size + 1);
    size_t got = 0;
    while (got < (size_t)st.st_size) {
        ssize_t r = read(in, data + got, st.st_size - got);
        if (r <= 0) { perror("read"); return 1; }
        got += r;
    }
    close(in);
    size_t capacity = st.st_size / 20 + 16, count = 0;
    uint32_t *offsets = malloc(capacity * sizeof *offsets);
    uint16_t *lengths = malloc(capacity * sizeof *lengths);
    int32_t *owner = malloc(capacity * sizeof *owner);
    static int32_t slot_of[65536];
    memset(slot_of, -1, sizeof slot_of);
    int senders = 0;
    for (size_t off = 0; off + 8 < got;) {
        size_t n = frame_length(data + off + 8, got - off - 8);
        if (n == 0 || off + 8 + n > got) { fprintf(stderr, "not a tlog frame at byte %zu\n", off); return 1; }
        const unsigned char *f = data + off + 8;
        int key = f[0] == 0xFD ? (f[5] << 8 | f[6]) : (f[3] << 8 | f[4]);
        if (slot_of[key] < 0) slot_of[key] = senders++;
        if (count == capacity) {
            capacity *= 2;
            offsets = realloc(offsets, capacity * sizeof *offsets);
            lengths = realloc(lengths, capacity * sizeof *lengths);
            owner = realloc(owner, capacity * sizeof *owner);
        }
        offsets[count] = off + 8;
        lengths[count] = n;
        owner[count] = slot_of[key];
        count++;
        off += 8 + n;
    }
    if (limit >= 0 && (size_t)limit < count) count = limit;

    struct rlimit files;
    getrlimit(RLIMIT_NOFILE, &files);
    if (files.rlim_cur < (rlim_t)senders + 64) {
        files.rlim_cur = files.rlim_max < (rlim_t)senders + 64 ? files.rlim_max : (rlim_t)senders + 64;
        setrlimit(RLIMIT_NOFILE, &files);
    }
    struct sockaddr_in to = {.sin_family = AF_INET, .sin_port = htons(atoi(argv[3]))};
    if (inet_pton(AF_INET, argv[2], &to.sin_addr) != 1) { fprintf(stderr, "not an IPv4 address: %s\n", argv[2]); return 2; }
    int *fds = malloc(senders * sizeof *fds);
    for (int i = 0; i < senders; i++) {
        fds[i] = socket(AF_INET, SOCK_DGRAM, 0);
        if (fds[i] < 0 || connect(fds[i], (struct sockaddr *)&to, sizeof to) != 0) { perror("socket"); return 1; }
    }

    /* Per tick: the due frames chained per socket (head/next), then one sendmmsg per socket. */
    int32_t *head = malloc(senders * sizeof *head), *tail = malloc(senders * sizeof *tail);
    int32_t *next = malloc((count + 1) * sizeof *next);
    int32_t *touched = malloc(senders * sizeof *touched);
    for (int i = 0; i < senders; i++) head[i] = -1;
    struct mmsghdr messages[PER_CALL];
    struct iovec vectors[PER_CALL];
    memset(messages, 0, sizeof messages);
    unsigned long long sent = 0, bytes = 0, refused = 0;
    double start = now();
    struct timespec tick;
    clock_gettime(CLOCK_MONOTONIC, &tick);
    size_t done = 0;
    while (done < count) {
        size_t due = (size_t)((now() - start) * rate) + 1;
        if (due > count) due = count;
        int used = 0;
        for (size_t i = done; i < due; i++) {
            int s = owner[i];
            next[i] = -1;
            if (head[s] < 0) { head[s] = tail[s] = (int32_t)i; touched[used++] = s; }
            else { next[tail[s]] = (int32_t)i; tail[s] = (int32_t)i; }
        }
        for (int u = 0; u < used; u++) {
            int s = touched[u];
            int32_t i = head[s];
            head[s] = -1;
            while (i >= 0) {
                int k = 0;
                for (; k < PER_CALL && i >= 0; k++, i = next[i]) {
                    vectors[k].iov_base = data + offsets[i];
                    vectors[k].iov_len = lengths[i];
                    messages[k].msg_hdr.msg_iov = &vectors[k];
                    messages[k].msg_hdr.msg_iovlen = 1;
                }
                int from = 0;
                while (from < k) {
                    int r = sendmmsg(fds[s], messages + from, k - from, 0);
                    if (r > 0) {
                        for (int j = from; j < from + r; j++) bytes += vectors[j].iov_len;
                        sent += r;
                        from += r;
                    } else if (errno == EINTR) {
                    } else if (errno == EAGAIN || errno == ENOBUFS) {
                        struct pollfd p = {.fd = fds[s], .events = POLLOUT};
                        poll(&p, 1, 10);
                    } else if (errno == ECONNREFUSED) {
                        refused++;  /* an ICMP port-unreachable from an earlier datagram: this one is lost */
                        from++;
                    } else {
                        perror("sendmmsg");
                        return 1;
                    }
                }
            }
        }
        done = due;
        if (done >= count) break;
        /* Sleep to the next 1 ms tick (absolute, so a slow tick does not shift the schedule). */
        tick.tv_nsec += 1000000;
        if (tick.tv_nsec >= 1000000000) { tick.tv_sec++; tick.tv_nsec -= 1000000000; }
        struct timespec t;
        clock_gettime(CLOCK_MONOTONIC, &t);
        if (t.tv_sec < tick.tv_sec || (t.tv_sec == tick.tv_sec && t.tv_nsec < tick.tv_nsec))
            clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &tick, NULL);
        else
            tick = t;
    }
    double elapsed = now() - start;
    struct rusage self;
    getrusage(RUSAGE_SELF, &self);
    printf("{\"datagrams\": %llu, \"bytes\": %llu, \"refused\": %llu, \"senders\": %d, \"seconds\": %.6f, "
           "\"user_s\": %.3f, \"system_s\": %.3f}\n",
           sent, bytes, refused, senders, elapsed, seconds(self.ru_utime), seconds(self.ru_stime));
    for (int i = 0; i < senders; i++) close(fds[i]);
    return 0;
}
