/*
 * bench/rusage.c - run a command and report its wall time, CPU time and
 * peak RSS, like a minimal /usr/bin/time.
 *
 *   rusage REPORT CMD [ARG...]
 *
 * Writes "wall_s user_s sys_s maxrss_kib" to the file REPORT and exits with
 * the command's status.  The command is forked from this small process, so
 * its peak RSS is its own (a child forked from a big parent, such as a
 * Python interpreter, inherits the parent's RSS as the floor of ru_maxrss).
 */
/* POSIX.1-2008 (fork, waitpid, getrusage, clock_gettime).  ru_maxrss is
 * not POSIX: macOS declares it only in its full namespace. */
#define _POSIX_C_SOURCE 200809L
#if defined(__APPLE__)
#define _DARWIN_C_SOURCE 1
#endif

#include <stdio.h>
#include <sys/resource.h>
#include <sys/time.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

/* Peak RSS in KiB: ru_maxrss counts KiB on Linux and the BSDs, bytes on
 * macOS. */
static long maxrss_kib(const struct rusage *ru)
{
#if defined(__APPLE__)
    return (long)(ru->ru_maxrss / 1024);
#else
    return (long)ru->ru_maxrss;
#endif
}

int main(int argc, char **argv)
{
    if (argc < 3) {
        fputs("usage: rusage REPORT CMD [ARG...]\n", stderr);
        return 2;
    }
    struct timespec t0, t1;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    const pid_t pid = fork();
    if (pid < 0) {
        perror("rusage: fork");
        return 2;
    }
    if (pid == 0) {
        execvp(argv[2], argv + 2);
        perror(argv[2]);
        _exit(127);
    }
    /* the only child: its usage is all of RUSAGE_CHILDREN (wait4 would
     * say the same, but is BSD, not POSIX) */
    int status;
    if (waitpid(pid, &status, 0) < 0) {
        perror("rusage: waitpid");
        return 2;
    }
    struct rusage ru;
    if (getrusage(RUSAGE_CHILDREN, &ru) != 0) {
        perror("rusage: getrusage");
        return 2;
    }
    clock_gettime(CLOCK_MONOTONIC, &t1);
    FILE *f = fopen(argv[1], "w");
    if (!f) {
        perror(argv[1]);
        return 2;
    }
    fprintf(f, "%.6f %ld.%06ld %ld.%06ld %ld\n",
            (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9,
            (long)ru.ru_utime.tv_sec, (long)ru.ru_utime.tv_usec,
            (long)ru.ru_stime.tv_sec, (long)ru.ru_stime.tv_usec, maxrss_kib(&ru));
    fclose(f);
    return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}
