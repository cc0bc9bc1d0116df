/* An open-loop HTTP/1.1 load client for the API latency benchmark (`api.py`).
 *
 * `api.py` measures the API's latency at a fixed request rate while the daemon ingests, all on a shared
 * 2-core machine. Its Python client (16 threads with http.client under the GIL) costs CPU the daemon needs,
 * and a request's latency includes the time its thread waited for the GIL and the scheduler. This client
 * does the same thing from one thread: non-blocking sockets, one epoll set, a timerfd on CLOCK_MONOTONIC for
 * the schedule, responses parsed in place (the body is counted, not kept).
 *
 * Semantics (the same as `load()` in api.py):
 *   - request i is due at t0 + i / RATE, with t0 = start + 0.5 s; its latency counts from when it was due,
 *     so a slow answer delays the requests behind it and shows in the percentiles (no coordinated omission);
 *   - up to CONNECTIONS keep-alive connections; a due request goes out on a free connection, or waits for one
 *     (its latency keeps growing from its due time); a connection is opened when a request first needs it
 *     and again after an error, so, as in http.client, "service" time (from when the request was handed to a
 *     connection: written, or connecting first) includes the connect when there was one;
 *   - a request is ok only with status 200 and a non-empty body (Content-Length, chunked, or until close);
 *     anything else counts under its status ("404") or its error ("error ECONNRESET", "error timeout" after
 *     30 s without progress, "error malformed", ...); after an error the connection is closed and reopened.
 * Buffers are bounded: the status line and headers of a response may take 16 KiB, a chunk-size line 1 KiB.
 *
 * At the end it prints one JSON object on standard output: requests, ok, errors, achieved_per_s,
 * p50/p90/p99/max_ms, service_p50/p99_ms (as api.py's load()), connects (connections opened), and
 * client_cpu_s: its own user + system CPU time (getrusage).
 *
 *     cc -O2 -Wall -Wextra -o http_load http_load.c
 *     http_load HOST PORT PATH TOKEN RATE SECONDS [CONNECTIONS=16]
 */
#define _GNU_SOURCE
#include <errno.h>
#include <math.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/epoll.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/timerfd.h>
#include <time.h>
#include <unistd.h>

#define HEAD_MAX 16384
#define LINE_MAX_ 1024
#define TIMEOUT_S 30.0
#define MAX_ERROR_KINDS 64

enum conn_state { IDLE_CLOSED, CONNECTING, WRITING, READING, IDLE_OPEN };
enum body_mode { BODY_NONE, BODY_LENGTH, BODY_CHUNKED, BODY_UNTIL_CLOSE };
enum chunk_state { CH_SIZE, CH_DATA, CH_DATA_CRLF, CH_TRAILER };

struct conn {
    int fd;
    int want_out;          /* EPOLLOUT is in its epoll events */
    enum conn_state state;
    long request;          /* index of the request in flight, -1 if none */
    double due, began, last_progress;
    size_t written;
    /* response parsing */
    char head[HEAD_MAX];
    size_t head_len;
    int head_done, status, close_after;
    enum body_mode mode;
    long long remaining;   /* BODY_LENGTH: bytes left; BODY_CHUNKED: bytes left in this chunk */
    long long body_len;
    enum chunk_state chunk;
    char line[LINE_MAX_];
    size_t line_len;
};

static struct { char name[48]; long count; } errors[MAX_ERROR_KINDS];
static int error_kinds;
static double *latencies, *service;
static long ok_count, connects;
static const char *request_text;
static size_t request_len;
static struct addrinfo *address;
static int epfd;

static double now(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return t.tv_sec + t.tv_nsec / 1e9;
}

static double seconds(struct timeval t) { return t.tv_sec + t.tv_usec / 1e6; }

static void count_error(const char *name) {
    for (int i = 0; i < error_kinds; i++)
        if (strcmp(errors[i].name, name) == 0) { errors[i].count++; return; }
    if (error_kinds == MAX_ERROR_KINDS) name = "other";  /* the last slot collects the rest */
    int i = error_kinds < MAX_ERROR_KINDS ? error_kinds++ : MAX_ERROR_KINDS - 1;
    snprintf(errors[i].name, sizeof errors[i].name, "%s", name);
    errors[i].count++;
}

static const char *errno_name(int e) {
    switch (e) {
    case ECONNREFUSED: return "ECONNREFUSED";
    case ECONNRESET: return "ECONNRESET";
    case EPIPE: return "EPIPE";
    case ETIMEDOUT: return "ETIMEDOUT";
    case EHOSTUNREACH: return "EHOSTUNREACH";
    case ENETUNREACH: return "ENETUNREACH";
    case EADDRNOTAVAIL: return "EADDRNOTAVAIL";
    case EMFILE: return "EMFILE";
    case ENOBUFS: return "ENOBUFS";
    default: return NULL;
    }
}

static void close_conn(struct conn *c) {
    if (c->fd >= 0) close(c->fd);  /* close() also removes it from the epoll set */
    c->fd = -1;
    c->state = IDLE_CLOSED;
    c->request = -1;
}

/* The request in flight on c failed: count it under `name`, close the connection. */
static void fail(struct conn *c, const char *name) {
    if (c->request >= 0) count_error(name);
    close_conn(c);
}

static void fail_errno(struct conn *c, int e) {
    char name[48];
    const char *n = errno_name(e);
    if (n) snprintf(name, sizeof name, "error %s", n);
    else snprintf(name, sizeof name, "error errno %d", e);
    fail(c, name);
}

static void watch(struct conn *c, uint32_t events, int op) {
    struct epoll_event ev = {.events = events, .data.ptr = c};
    if (epoll_ctl(epfd, op, c->fd, &ev) != 0) { perror("epoll_ctl"); exit(1); }
}

static void reset_response(struct conn *c) {
    c->head_len = 0;
    c->head_done = 0;
    c->status = 0;
    c->close_after = 0;
    c->mode = BODY_NONE;
    c->remaining = 0;
    c->body_len = 0;
    c->chunk = CH_SIZE;
    c->line_len = 0;
}

static void finish(struct conn *c) {
    double done = now();
    if (c->status == 200 && c->body_len > 0) {
        latencies[ok_count] = (done - c->due) * 1000;
        service[ok_count] = (done - c->began) * 1000;
        ok_count++;
    } else {
        char name[16];
        snprintf(name, sizeof name, "%d", c->status);
        count_error(name);
    }
    c->request = -1;
    if (c->close_after || c->state != READING) close_conn(c);  /* answered before it was all written: close */
    else c->state = IDLE_OPEN;
}

/* Writes (the rest of) the request; on a partial write, waits for EPOLLOUT. */
static void send_request(struct conn *c) {
    while (c->written < request_len) {
        ssize_t n = send(c->fd, request_text + c->written, request_len - c->written, MSG_NOSIGNAL);
        if (n > 0) { c->written += n; c->last_progress = now(); continue; }
        if (n < 0 && errno == EINTR) continue;
        if (n < 0 && errno == EAGAIN) {
            c->state = WRITING;
            if (!c->want_out) { watch(c, EPOLLIN | EPOLLOUT | EPOLLRDHUP, EPOLL_CTL_MOD); c->want_out = 1; }
            return;
        }
        fail_errno(c, n < 0 ? errno : EPIPE);
        return;
    }
    if (c->want_out) { watch(c, EPOLLIN | EPOLLRDHUP, EPOLL_CTL_MOD); c->want_out = 0; }
    c->state = READING;
}

/* Hands request i (due at `due`) to connection c, opening it first if it is closed. */
static void dispatch(struct conn *c, long i, double due) {
    c->request = i;
    c->due = due;
    c->began = c->last_progress = now();
    c->written = 0;
    reset_response(c);
    if (c->state == IDLE_CLOSED) {
        c->fd = socket(address->ai_family, address->ai_socktype | SOCK_NONBLOCK | SOCK_CLOEXEC, address->ai_protocol);
        if (c->fd < 0) { fail_errno(c, errno); return; }
        int one = 1;
        setsockopt(c->fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
        connects++;
        if (connect(c->fd, address->ai_addr, address->ai_addrlen) != 0) {
            if (errno != EINPROGRESS) { fail_errno(c, errno); return; }
            c->state = CONNECTING;
            watch(c, EPOLLOUT | EPOLLRDHUP, EPOLL_CTL_ADD);
            c->want_out = 1;
            return;
        }
        watch(c, EPOLLIN | EPOLLRDHUP, EPOLL_CTL_ADD);
        c->want_out = 0;
    }
    c->state = WRITING;
    send_request(c);
}

/* Parses the status line and headers in c->head (terminated by an empty line). 0 if malformed. */
static int parse_head(struct conn *c) {
    char *p = c->head, *end = c->head + c->head_len;
    char *eol = memmem(p, end - p, "\r\n", 2);
    if (!eol || eol - p < 12 || strncmp(p, "HTTP/1.", 7) != 0 || p[8] != ' ') return 0;
    int status = 0;
    for (int k = 9; k < 12; k++) {
        if (p[k] < '0' || p[k] > '9') return 0;
        status = status * 10 + (p[k] - '0');
    }
    if (eol - p > 12 && p[12] != ' ') return 0;
    c->status = status;
    if (p[7] == '0') c->close_after = 1;  /* HTTP/1.0: no keep-alive assumed */
    int chunked = 0, have_length = 0;
    long long length = 0;
    for (p = eol + 2; p < end; p = eol + 2) {
        eol = memmem(p, end - p, "\r\n", 2);
        if (!eol) return 0;
        if (eol == p) break;  /* the empty line */
        char *colon = memchr(p, ':', eol - p);
        if (!colon) return 0;
        size_t name_len = colon - p;
        char *v = colon + 1, *vend = eol;
        while (v < vend && (*v == ' ' || *v == '\t')) v++;
        while (vend > v && (vend[-1] == ' ' || vend[-1] == '\t')) vend--;
        size_t vlen = vend - v;
        if (name_len == 14 && strncasecmp(p, "Content-Length", 14) == 0) {
            if (vlen == 0 || vlen > 18) return 0;
            long long n = 0;
            for (size_t k = 0; k < vlen; k++) {
                if (v[k] < '0' || v[k] > '9') return 0;
                n = n * 10 + (v[k] - '0');
            }
            if (have_length && n != length) return 0;
            have_length = 1;
            length = n;
        } else if (name_len == 17 && strncasecmp(p, "Transfer-Encoding", 17) == 0) {
            /* chunked must be the last coding; anything else here is not supported */
            if (vlen >= 7 && strncasecmp(vend - 7, "chunked", 7) == 0) chunked = 1;
            else return 0;
        } else if (name_len == 10 && strncasecmp(p, "Connection", 10) == 0) {
            for (size_t k = 0; k + 5 <= vlen; k++)
                if (strncasecmp(v + k, "close", 5) == 0) c->close_after = 1;
            else if (vlen >= 10 && strncasecmp(v, "keep-alive", 10) == 0) c->close_after = 0;
        }
    }
    if (status == 204 || status == 304) c->mode = BODY_NONE;
    else if (chunked) { c->mode = BODY_CHUNKED; c->chunk = CH_SIZE; c->line_len = 0; }
    else if (have_length) { c->mode = BODY_LENGTH; c->remaining = length; }
    else { c->mode = BODY_UNTIL_CLOSE; c->close_after = 1; }
    return 1;
}

/* Takes the body bytes in [p, p + n). Returns the bytes used, -1 if malformed; sets *complete at the end. */
static ssize_t take_body(struct conn *c, const char *p, size_t n, int *complete) {
    size_t used = 0;
    *complete = 0;
    switch (c->mode) {
    case BODY_NONE:
        *complete = 1;
        return 0;
    case BODY_UNTIL_CLOSE:
        c->body_len += n;
        return n;
    case BODY_LENGTH: {
        size_t take = (long long)n < c->remaining ? n : (size_t)c->remaining;
        c->remaining -= take;
        c->body_len += take;
        if (c->remaining == 0) *complete = 1;
        return take;
    }
    case BODY_CHUNKED:
        while (used < n) {
            if (c->chunk == CH_DATA) {
                size_t take = (long long)(n - used) < c->remaining ? n - used : (size_t)c->remaining;
                c->remaining -= take;
                c->body_len += take;
                used += take;
                if (c->remaining == 0) { c->chunk = CH_DATA_CRLF; c->line_len = 0; }
                continue;
            }
            /* CH_SIZE, CH_DATA_CRLF, CH_TRAILER: collect one line */
            char ch = p[used++];
            if (ch != '\n') {
                if (c->line_len == LINE_MAX_) return -1;
                c->line[c->line_len++] = ch;
                continue;
            }
            size_t len = c->line_len;
            if (len && c->line[len - 1] == '\r') len--;
            c->line_len = 0;
            if (c->chunk == CH_DATA_CRLF) {
                if (len != 0) return -1;
                c->chunk = CH_SIZE;
            } else if (c->chunk == CH_TRAILER) {
                if (len == 0) { *complete = 1; return used; }
            } else {
                long long size = 0;
                size_t k = 0;
                for (; k < len; k++) {
                    char d = c->line[k];
                    int v = d >= '0' && d <= '9' ? d - '0' : d >= 'a' && d <= 'f' ? d - 'a' + 10
                          : d >= 'A' && d <= 'F' ? d - 'A' + 10 : -1;
                    if (v < 0) break;
                    if (size > (1LL << 40)) return -1;
                    size = size * 16 + v;
                }
                if (k == 0 || (k < len && c->line[k] != ';' && c->line[k] != ' ' && c->line[k] != '\t')) return -1;
                if (size == 0) c->chunk = CH_TRAILER;
                else { c->chunk = CH_DATA; c->remaining = size; }
            }
        }
        return used;
    }
    return -1;
}

/* Feeds received bytes to the response parser of c. */
static void take(struct conn *c, const char *p, size_t n) {
    while (n > 0) {
        if (c->request < 0) { close_conn(c); return; }  /* bytes nobody asked for */
        if (!c->head_done) {
            /* copy up to the end of the head; search from a little before the new bytes */
            size_t room = HEAD_MAX - c->head_len;
            size_t copy = n < room ? n : room;
            size_t from = c->head_len >= 3 ? c->head_len - 3 : 0;
            memcpy(c->head + c->head_len, p, copy);
            c->head_len += copy;
            char *term = memmem(c->head + from, c->head_len - from, "\r\n\r\n", 4);
            if (!term) {
                if (c->head_len == HEAD_MAX) { fail(c, "error head too large"); return; }
                return;
            }
            size_t head_end = term + 4 - c->head;
            size_t consumed = copy - (c->head_len - head_end);
            c->head_len = head_end;
            p += consumed;
            n -= consumed;
            if (!parse_head(c)) { fail(c, "error malformed"); return; }
            if (c->status >= 100 && c->status < 200) { reset_response(c); continue; }  /* interim */
            c->head_done = 1;
            if (c->mode == BODY_NONE || (c->mode == BODY_LENGTH && c->remaining == 0)) { finish(c); continue; }
        }
        int complete;
        ssize_t used = take_body(c, p, n, &complete);
        if (used < 0) { fail(c, "error malformed"); return; }
        p += used;
        n -= used;
        if (complete) finish(c);
    }
}

static void on_readable(struct conn *c) {
    static char buf[65536];
    for (;;) {
        ssize_t n = recv(c->fd, buf, sizeof buf, 0);
        if (n > 0) {
            c->last_progress = now();
            take(c, buf, n);
            if (c->fd < 0) return;
            continue;
        }
        if (n < 0 && errno == EINTR) continue;
        if (n < 0 && errno == EAGAIN) return;
        if (n < 0) { fail_errno(c, errno); return; }
        /* end of stream */
        if (c->request >= 0 && c->head_done && c->mode == BODY_UNTIL_CLOSE) {
            finish(c);  /* closes: close_after is set */
            return;
        }
        if (c->request >= 0) fail(c, c->head_done || c->head_len ? "error incomplete" : "error closed");
        else close_conn(c);  /* the server closed an idle keep-alive connection: reopened when needed */
        return;
    }
}

static void on_event(struct conn *c, uint32_t events) {
    if (c->state == CONNECTING) {
        int err = 0;
        socklen_t len = sizeof err;
        if (getsockopt(c->fd, SOL_SOCKET, SO_ERROR, &err, &len) != 0) err = errno;
        if (err) { fail_errno(c, err); return; }
        if (!(events & EPOLLOUT)) return;
        c->state = WRITING;
        send_request(c);
        return;
    }
    if (c->state == WRITING && (events & EPOLLOUT)) {
        send_request(c);
        if (c->fd < 0) return;
    }
    if (events & (EPOLLIN | EPOLLRDHUP | EPOLLHUP | EPOLLERR)) {
        if ((events & EPOLLERR) && !(events & EPOLLIN)) {
            int err = 0;
            socklen_t len = sizeof err;
            getsockopt(c->fd, SOL_SOCKET, SO_ERROR, &err, &len);
            fail_errno(c, err ? err : ECONNRESET);
            return;
        }
        on_readable(c);
    }
}

static int by_value(const void *a, const void *b) {
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

static double percentile(const double *sorted, long n, double p) {
    if (n == 0) return NAN;
    double k = (n - 1) * p / 100;
    long lo = (long)k;  /* k >= 0: truncation is floor */
    long hi = lo + 1 < n ? lo + 1 : n - 1;
    return sorted[lo] + (sorted[hi] - sorted[lo]) * (k - lo);
}

static void print_ms(const char *key, double v) {
    if (isnan(v)) printf("\"%s\": NaN", key);
    else printf("\"%s\": %.2f", key, v);
}

static void print_json_string(const char *s) {
    putchar('"');
    for (; *s; s++) {
        if (*s == '"' || *s == '\\') printf("\\%c", *s);
        else if ((unsigned char)*s < 0x20) printf("\\u%04x", *s);
        else putchar(*s);
    }
    putchar('"');
}

int main(int argc, char **argv) {
    if (argc < 7) {
        fprintf(stderr, "usage: %s HOST PORT PATH TOKEN RATE SECONDS [CONNECTIONS=16]\n", argv[0]);
        return 2;
    }
    const char *host = argv[1], *port = argv[2], *path = argv[3], *token = argv[4];
    double rate = atof(argv[5]), duration = atof(argv[6]);
    int connections = argc > 7 ? atoi(argv[7]) : 16;
    if (!(rate > 0) || !(duration >= 0) || connections < 1 || connections > 10000) {
        fprintf(stderr, "rate must be positive, seconds not negative, connections 1-10000\n");
        return 2;
    }
    long total = (long)(rate * duration);

    struct addrinfo hints = {.ai_family = AF_UNSPEC, .ai_socktype = SOCK_STREAM};
    int r = getaddrinfo(host, port, &hints, &address);
    if (r != 0) { fprintf(stderr, "%s:%s: %s\n", host, port, gai_strerror(r)); return 1; }

    size_t cap = strlen(path) + strlen(token) + strlen(host) + strlen(port) + 128;
    char *text = malloc(cap);
    int len = snprintf(text, cap, "GET %s HTTP/1.1\r\nHost: %s:%s\r\nAccept-Encoding: identity\r\n"
                       "Authorization: Bearer %s\r\n\r\n", path, host, port, token);
    if (len < 0 || (size_t)len >= cap) { fprintf(stderr, "request too long\n"); return 1; }
    request_text = text;
    request_len = len;

    latencies = malloc(sizeof(double) * (total + 1));
    service = malloc(sizeof(double) * (total + 1));
    struct conn *conns = calloc(connections, sizeof *conns);
    if (!latencies || !service || !conns) { fprintf(stderr, "out of memory\n"); return 1; }
    for (int k = 0; k < connections; k++) { conns[k].fd = -1; conns[k].state = IDLE_CLOSED; conns[k].request = -1; }

    epfd = epoll_create1(EPOLL_CLOEXEC);
    int timer = timerfd_create(CLOCK_MONOTONIC, TFD_NONBLOCK | TFD_CLOEXEC);
    if (epfd < 0 || timer < 0) { perror("epoll/timerfd"); return 1; }
    struct epoll_event tev = {.events = EPOLLIN, .data.ptr = NULL};
    epoll_ctl(epfd, EPOLL_CTL_ADD, timer, &tev);

    double t0 = now() + 0.5;
    long next = 0, in_flight = 0;
    double armed = -1;
    struct epoll_event events[64];
    for (;;) {
        /* Hand every request that is due to a free connection (open ones first). */
        double t = now();
        while (next < total && t0 + next / rate <= t) {
            struct conn *free_conn = NULL;
            for (int k = 0; k < connections; k++) {
                if (conns[k].state == IDLE_OPEN) { free_conn = &conns[k]; break; }
                if (conns[k].state == IDLE_CLOSED && !free_conn) free_conn = &conns[k];
            }
            if (!free_conn) break;
            dispatch(free_conn, next, t0 + next / rate);
            next++;
        }
        in_flight = 0;
        for (int k = 0; k < connections; k++) in_flight += conns[k].request >= 0;
        if (next >= total && in_flight == 0) break;

        /* Wake at the next due time if a connection is free for it; otherwise a response frees one. */
        int have_free = in_flight < connections;
        if (next < total && have_free && t0 + next / rate != armed) {
            double due = t0 + next / rate;
            struct itimerspec at = {0};
            at.it_value.tv_sec = (time_t)due;
            at.it_value.tv_nsec = (long)((due - (double)(time_t)due) * 1e9);
            if (at.it_value.tv_sec == 0 && at.it_value.tv_nsec == 0) at.it_value.tv_nsec = 1;
            timerfd_settime(timer, TFD_TIMER_ABSTIME, &at, NULL);
            armed = due;
        }
        int n = epoll_wait(epfd, events, 64, 1000);
        if (n < 0 && errno != EINTR) { perror("epoll_wait"); return 1; }
        for (int e = 0; e < n; e++) {
            if (events[e].data.ptr == NULL) {
                uint64_t expirations;
                if (read(timer, &expirations, sizeof expirations) < 0 && errno != EAGAIN) perror("timerfd");
                armed = -1;
                continue;
            }
            struct conn *c = events[e].data.ptr;
            if (c->fd >= 0) on_event(c, events[e].events);
        }
        /* A request that made no progress for 30 s (http.client's timeout in load()) fails. */
        t = now();
        for (int k = 0; k < connections; k++)
            if (conns[k].request >= 0 && t - conns[k].last_progress > TIMEOUT_S) fail(&conns[k], "error timeout");
    }
    double elapsed = now() - t0;
    for (int k = 0; k < connections; k++) close_conn(&conns[k]);

    qsort(latencies, ok_count, sizeof(double), by_value);
    qsort(service, ok_count, sizeof(double), by_value);
    struct rusage self;
    getrusage(RUSAGE_SELF, &self);
    printf("{\"requests\": %ld, \"ok\": %ld, \"errors\": {", total, ok_count);
    for (int k = 0; k < error_kinds; k++) {
        if (k) printf(", ");
        print_json_string(errors[k].name);
        printf(": %ld", errors[k].count);
    }
    printf("}, \"achieved_per_s\": %.1f, ", elapsed > 0 ? ok_count / elapsed : 0.0);
    print_ms("p50_ms", percentile(latencies, ok_count, 50)); printf(", ");
    print_ms("p90_ms", percentile(latencies, ok_count, 90)); printf(", ");
    print_ms("p99_ms", percentile(latencies, ok_count, 99)); printf(", ");
    if (ok_count) printf("\"max_ms\": %.2f, ", latencies[ok_count - 1]);
    else printf("\"max_ms\": null, ");
    print_ms("service_p50_ms", percentile(service, ok_count, 50)); printf(", ");
    print_ms("service_p99_ms", percentile(service, ok_count, 99));
    printf(", \"connects\": %ld, \"client_cpu_s\": %.3f}\n", connects,
           seconds(self.ru_utime) + seconds(self.ru_stime));
    freeaddrinfo(address);
    free(conns);
    free(latencies);
    free(service);
    free(text);
    close(timer);
    close(epfd);
    return 0;
}
