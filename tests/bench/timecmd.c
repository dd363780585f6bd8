/* timecmd: run a command several times and report its best times.
 *
 *   timecmd RUNS OUT ERR COMMAND [ARG ...]
 *
 * Runs COMMAND RUNS times, its stdout to the file OUT and its stderr to the
 * file ERR (both rewritten each run), and prints one tab-separated line:
 *
 *   WALL_S  CPU_S  STATUS  MAXRSS_KB
 *
 * WALL_S is the minimum wall-clock time (CLOCK_MONOTONIC) over the runs,
 * CPU_S the minimum user + system time of the child (wait4), STATUS the exit
 * status of the last run (128 + signal when killed) and MAXRSS_KB the
 * largest peak resident set of any run.  CPU time is what a busy machine
 * distorts least: when other processes compete for the cores, the wall time
 * grows but the CPU time stays.  Exit status 0, or 2 when COMMAND cannot be
 * run at all. */
#define _DEFAULT_SOURCE

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static double now(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

static double seconds(struct timeval tv) {
    return (double)tv.tv_sec + (double)tv.tv_usec * 1e-6;
}

int main(int argc, char **argv) {
    if (argc < 5 || atoi(argv[1]) < 1) {
        fprintf(stderr, "usage: timecmd RUNS OUT ERR COMMAND [ARG ...]\n");
        return 2;
    }
    int runs = atoi(argv[1]), status = 0;
    double best_wall = 1e30, best_cpu = 1e30;
    long maxrss = 0;
    for (int r = 0; r < runs; r++) {
        double t0 = now();
        pid_t pid = fork();
        if (pid < 0) {
            perror("timecmd: fork");
            return 2;
        }
        if (pid == 0) {
            int out = open(argv[2], O_WRONLY | O_CREAT | O_TRUNC, 0644);
            int err = open(argv[3], O_WRONLY | O_CREAT | O_TRUNC, 0644);
            if (out < 0 || err < 0 || dup2(out, 1) < 0 || dup2(err, 2) < 0)
                _exit(126);
            close(out);
            close(err);
            execvp(argv[4], argv + 4);
            fprintf(stderr, "timecmd: %s: %s\n", argv[4], strerror(errno));
            _exit(127);
        }
        int wstatus;
        struct rusage ru;
        while (wait4(pid, &wstatus, 0, &ru) < 0) {
            if (errno != EINTR) {
                perror("timecmd: wait4");
                return 2;
            }
        }
        double wall = now() - t0;
        double cpu = seconds(ru.ru_utime) + seconds(ru.ru_stime);
        status = WIFEXITED(wstatus) ? WEXITSTATUS(wstatus) : 128 + WTERMSIG(wstatus);
        if (status == 127 || status == 126)
            return 2;  /* could not run it: the child said why */
        if (wall < best_wall)
            best_wall = wall;
        if (cpu < best_cpu)
            best_cpu = cpu;
        if (ru.ru_maxrss > maxrss)
            maxrss = ru.ru_maxrss;
    }
    printf("%.6f\t%.6f\t%d\t%ld\n", best_wall, best_cpu, status, maxrss);
    return 0;
}
