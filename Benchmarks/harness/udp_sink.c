/* A UDP receiver for the replay benchmark: counts what is *delivered*, not what was sent.
 *
 * Binds 127.0.0.1:0 with a large receive buffer, prints its port, then drains the socket with recvmmsg
 * (64 datagrams per call) until it has been idle for 1 s after the first datagram. For every datagram it
 * walks the MAVLink frames inside (v1 0xFE, v2 0xFD with the signature when flagged) and folds the bytes
 * into a CRC-32 of the whole stream, so the harness can check that the bytes arrived complete and in
 * order. Prints one JSON line, then waits for standard input to close (so the harness can read the
 * kernel's drop counter while the socket still exists) and exits.
 *
 *     gcc -O2 -o udp_sink udp_sink.c -lz
 */
#define _GNU_SOURCE
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <zlib.h>

#define BATCH 64
#define SIZE 65536

static double now(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return t.tv_sec + t.tv_nsec / 1e9;
}

int main(void) {
    int fd = socket(AF_INET, SOCK_DGRAM, 0);
    int size = 64 << 20;
    setsockopt(fd, SOL_SOCKET, SO_RCVBUFFORCE, &size, sizeof size);  /* needs CAP_NET_ADMIN; else: */
    setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &size, sizeof size);
    struct sockaddr_in a = {.sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
    if (bind(fd, (struct sockaddr *)&a, sizeof a) != 0) { perror("bind"); return 1; }
    socklen_t len = sizeof a;
    getsockname(fd, (struct sockaddr *)&a, &len);
    int granted = 0;
    len = sizeof granted;
    getsockopt(fd, SOL_SOCKET, SO_RCVBUF, &granted, &len);
    printf("%d\n", ntohs(a.sin_port));
    fflush(stdout);
    struct timeval timeout = {.tv_sec = 0, .tv_usec = 200000};
    setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof timeout);

    static unsigned char buffers[BATCH][SIZE];
    struct mmsghdr messages[BATCH];
    struct iovec vectors[BATCH];
    for (int i = 0; i < BATCH; i++) {
        vectors[i].iov_base = buffers[i];
        vectors[i].iov_len = SIZE;
        memset(&messages[i], 0, sizeof messages[i]);
        messages[i].msg_hdr.msg_iov = &vectors[i];
        messages[i].msg_hdr.msg_iovlen = 1;
    }
    unsigned long long datagrams = 0, bytes = 0, frames = 0, broken = 0;
    uLong crc = crc32(0L, Z_NULL, 0);
    double first = 0, last = 0;
    for (;;) {
        int n = recvmmsg(fd, messages, BATCH, MSG_WAITFORONE, NULL);
        if (n <= 0) {
            if (datagrams > 0 && now() - last > 1.0) break;
            if (datagrams == 0 && first == 0) { /* still waiting for the sender */ }
            continue;
        }
        last = now();
        if (datagrams == 0) first = last;
        for (int i = 0; i < n; i++) {
            unsigned char *p = buffers[i];
            size_t m = messages[i].msg_len, off = 0;
            datagrams++;
            bytes += m;
            crc = crc32(crc, p, m);
            while (off < m) {
                size_t frame;
                if (p[off] == 0xFE && off + 1 < m) frame = (size_t)p[off + 1] + 8;
                else if (p[off] == 0xFD && off + 2 < m) frame = (size_t)p[off + 1] + 12 + ((p[off + 2] & 1) ? 13 : 0);
                else { broken++; break; }
                if (off + frame > m) { broken++; break; }
                frames++;
                off += frame;
            }
        }
    }
    printf("{\"datagrams\": %llu, \"bytes\": %llu, \"frames\": %llu, \"unparsed\": %llu, \"crc32\": %lu, "
           "\"seconds\": %.6f, \"rcvbuf\": %d}\n",
           datagrams, bytes, frames, broken, (unsigned long)crc, last - first, granted);
    fflush(stdout);
    char c;
    while (read(0, &c, 1) > 0) {}
    close(fd);
    return 0;
}
