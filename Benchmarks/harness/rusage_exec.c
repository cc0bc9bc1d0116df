/*
 * rusage_exec.c - run a command and report its own resource usage (CPU time, peak RSS).
 *
 * Usage: rusage_exec OUT_FILE COMMAND [ARGS...]
 *
 * Runs COMMAND (stdin/stdout/stderr inherited), waits for it with wait4(2) and writes one JSON
 * line to OUT_FILE: {"user_s":...,"sys_s":...,"max_rss_kib":...,"exit":...}. Exits with the
 * command's exit status (128 + signal number if it was killed).
 *
 * Why a launcher: on Linux, exec(2) folds the pre-exec memory high-water mark into the child's
 * ru_maxrss, so a benchmark started directly from Python reports at least the RSS of the Python
 * interpreter (~15-35 MiB). Started from this small program, ru_maxrss is the benchmark's own.
 */
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <sys/resource.h>
#include <sys/time.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

static double seconds(struct timeval tv) { return (double)tv.tv_sec + (double)tv.tv_usec * 1e-6; }

int main(int argc, char **argv) {
    if (argc < 3) {
        fprintf(stderr, "usage: %s OUT_FILE COMMAND [ARGS...]\n", argv[0]);
        return 2;
    }
    pid_t pid = fork();
    if (pid < 0) {
        perror("fork");
        return 127;
    }
    if (pid == 0) {
        execvp(argv[2], argv + 2);
        perror(argv[2]);
        _exit(127);
    }
    int status;
    struct rusage ru;
    if (wait4(pid, &status, 0, &ru) < 0) {
        perror("wait4");
        return 127;
    }
    int code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
    FILE *out = fopen(argv[1], "w");
    if (!out) {
        perror(argv[1]);
        return 127;
    }
    fprintf(out, "{\"user_s\":%.6f,\"sys_s\":%.6f,\"max_rss_kib\":%ld,\"exit\":%d}\n",
            seconds(ru.ru_utime), seconds(ru.ru_stime), ru.ru_maxrss, code);
    fclose(out);
    return code;
}
