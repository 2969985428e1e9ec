/* SPDX-License-Identifier: MIT */
/* whk plugin check: runs calls into the plugin in a child process. */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "plugin_check.h"

/* The progress of a checking child, in memory shared with its parent. */
struct whkp_progress {
    atomic_uint calls; /* counts calls into the plugin, to time each one */
    char check[40];
    char call[200];
};

/* The end of a child process: its wait status, or a timeout. */
struct outcome {
    int wait_status;
    int timed_out;
};

int whkp_check_pending(const struct whkp_check_report *report,
                       const char *check)
{
    return report->done == NULL || json_object_get(report->done, check) == NULL;
}

void whkp_check_calling(struct whkp_check_report *report, const char *check,
                        const char *format, ...)
{
    struct whkp_progress *p = report->progress;
    va_list args;

    if (p == NULL)
        return;
    snprintf(p->check, sizeof(p->check), "%s", check);
    va_start(args, format);
    vsnprintf(p->call, sizeof(p->call), format, args);
    va_end(args);
    atomic_fetch_add(&p->calls, 1);
}

static const char *first_pending(const char *const *checks, json_t *done)
{
    for (; *checks; checks++) {
        if (json_object_get(done, *checks) == NULL)
            return *checks;
    }
    return NULL;
}

static double now_seconds(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* Adds the row or the provider name that one line from the child sends. */
static void take_line(struct whkp_check_report *report, json_t *done,
                      const char *line)
{
    static const char *const names[] = {"pass", "fail", "skip"};
    json_t *row = json_loads(line, 0, NULL);
    const char *check = json_string_value(json_object_get(row, "check"));
    const char *status = json_string_value(json_object_get(row, "status"));
    const char *message = json_string_value(json_object_get(row, "message"));
    const char *provider = json_string_value(json_object_get(row, "provider"));

    for (int i = 0; check && status && message && i < 3; i++) {
        if (strcmp(status, names[i]) == 0) {
            whkp_check_add(report, check, (enum whkp_check_status)i, "%s",
                           message);
            json_object_set_new(done, check, json_string(status));
        }
    }
    if (provider != NULL)
        whkp_check_set_provider(report, provider);
    json_decref(row);
}

/* Takes every complete line of buf[0..*len), keeping the rest. */
static void take_lines(struct whkp_check_report *report, json_t *done,
                       char *buf, size_t *len)
{
    char *start = buf, *end;

    while ((end = memchr(start, '\n', *len - (size_t)(start - buf)))) {
        *end = '\0';
        take_line(report, done, start);
        start = end + 1;
    }
    *len -= (size_t)(start - buf);
    memmove(buf, start, *len);
}

/*
 * Reads rows from the child until it closes the pipe, killing it when no
 * new call starts for WHKP_CALL_TIME_LIMIT seconds.
 */
static void read_rows(struct whkp_check_report *report, json_t *done, int fd,
                      pid_t pid, struct whkp_progress *progress,
                      struct outcome *out)
{
    static char buf[65536];
    size_t len = 0;
    unsigned last_calls = atomic_load(&progress->calls);
    double since = now_seconds();

    for (;;) {
        struct pollfd p = {fd, POLLIN, 0};
        int ready = poll(&p, 1, 250);
        unsigned calls = atomic_load(&progress->calls);

        if (ready > 0) {
            ssize_t got = read(fd, buf + len, sizeof(buf) - 1 - len);

            if (got == 0 || (got < 0 && errno != EINTR))
                break;
            len += got > 0 ? (size_t)got : 0;
            take_lines(report, done, buf, &len);
            if (len == sizeof(buf) - 1)
                len = 0; /* a line this long is not a row */
        } else if (ready < 0 && errno != EINTR) {
            break; /* reap() still limits the time the child takes */
        }
        if (calls != last_calls) {
            last_calls = calls;
            since = now_seconds();
        } else if (now_seconds() - since >= WHKP_CALL_TIME_LIMIT) {
            kill(pid, SIGKILL);
            out->timed_out = 1;
            break;
        }
    }
}

/*
 * Waits for the child to end. A plugin that closed the pipe may still be
 * in a call, so the time limit applies here too.
 */
static void reap(pid_t pid, const struct whkp_progress *progress,
                 struct outcome *out)
{
    const struct timespec pause = {0, 10 * 1000 * 1000};
    unsigned last_calls = atomic_load(&progress->calls);
    double since = now_seconds();

    while (waitpid(pid, &out->wait_status, WNOHANG) == 0) {
        unsigned calls = atomic_load(&progress->calls);

        if (calls != last_calls) {
            last_calls = calls;
            since = now_seconds();
        } else if (!out->timed_out &&
                   now_seconds() - since >= WHKP_CALL_TIME_LIMIT) {
            kill(pid, SIGKILL);
            out->timed_out = 1;
        }
        nanosleep(&pause, NULL);
    }
}

/* The child: runs the checks with the default action for crash signals. */
static void child_main(int fd, json_t *done, struct whkp_progress *progress,
                       whkp_isolated_fn run, void *data)
{
    /* AddressSanitizer catches these; a crash must end the child as is. */
    static const int crashes[] = {SIGSEGV, SIGBUS, SIGFPE, SIGILL, SIGABRT};
    struct whkp_check_report report = {0};

    /* A hung plugin must not outlive whk when whk itself is killed. */
    if (prctl(PR_SET_PDEATHSIG, SIGKILL) != 0 || getppid() == 1)
        _exit(WHKP_EXIT_ENV);
    for (size_t i = 0; i < sizeof(crashes) / sizeof(crashes[0]); i++)
        signal(crashes[i], SIG_DFL);
    report.rows = json_array();
    report.child_fd = fd;
    report.done = done;
    report.progress = progress;
    run(&report, data);
    /* _exit: the parent's atexit handlers and stdio buffers are not ours. */
    _exit(0);
}

static int run_child(struct whkp_check_report *report, json_t *done,
                     struct whkp_progress *progress, whkp_isolated_fn run,
                     void *data, struct outcome *out)
{
    int fds[2];
    pid_t pid;

    if (pipe2(fds, O_CLOEXEC) != 0)
        return -1;
    fflush(stdout);
    fflush(stderr);
    pid = fork();
    if (pid < 0) {
        close(fds[0]);
        close(fds[1]);
        return -1;
    }
    if (pid == 0) {
        close(fds[0]);
        child_main(fds[1], done, progress, run, data);
    }
    close(fds[1]);
    read_rows(report, done, fds[0], pid, progress, out);
    close(fds[0]);
    reap(pid, progress, out);
    return 0;
}

/* Describes how the child ended while in call, into text. */
static void describe(const struct outcome *out, const char *call, char *text,
                     size_t size)
{
    int status = out->wait_status;

    if (out->timed_out) {
        snprintf(text, size, "%s did not return within %d s", call,
                 WHKP_CALL_TIME_LIMIT);
    } else if (WIFSIGNALED(status)) {
        const char *name = sigabbrev_np(WTERMSIG(status));

        if (name != NULL)
            snprintf(text, size, "%s crashed with SIG%s", call, name);
        else
            snprintf(text, size, "%s crashed with signal %d", call,
                     WTERMSIG(status));
    } else {
        snprintf(text, size, "%s ended the process with exit status %d", call,
                 WEXITSTATUS(status));
    }
}

/* Adds the failing row for a child that ended early; returns its check. */
static const char *blame(struct whkp_check_report *report,
                         const char *const *checks, json_t *done,
                         const struct whkp_progress *progress,
                         const struct outcome *out)
{
    const char *check = first_pending(checks, done), *hint;
    char text[300];

    for (const char *const *c = checks; *c; c++) {
        if (strcmp(*c, progress->check) == 0 &&
            json_object_get(done, *c) == NULL)
            check = *c;
    }
    describe(out, progress->call[0] ? progress->call : "the check", text,
             sizeof(text));
    if (out->timed_out)
        hint = "look for a loop that never ends or a call that blocks";
    else if (WIFSIGNALED(out->wait_status))
        hint = "run it under gdb or build it with -fsanitize=address to "
               "find the cause";
    else
        hint = "a plugin must return an error, never exit the process";
    whkp_check_add(report, check, WHKP_CHECK_FAIL, "%s; %s", text, hint);
    json_object_set_new(done, check, json_string("fail"));
    return check;
}

/* Skips every check of checks not yet reported, with reason. */
static void skip_pending(struct whkp_check_report *report,
                         const char *const *checks, json_t *done,
                         const char *reason)
{
    for (; *checks; checks++) {
        if (json_object_get(done, *checks) == NULL) {
            whkp_check_add(report, *checks, WHKP_CHECK_SKIP, "%s", reason);
            json_object_set_new(done, *checks, json_string("skip"));
        }
    }
}

int whkp_check_isolated(struct whkp_check_report *report,
                        const char *const *checks, whkp_isolated_fn run,
                        void *data)
{
    struct whkp_progress *progress =
        mmap(NULL, sizeof(*progress), PROT_READ | PROT_WRITE,
             MAP_SHARED | MAP_ANONYMOUS, -1, 0);
    json_t *done = json_object();
    char reason[300];
    int status = 0, cause = errno;

    while (progress != MAP_FAILED && done && first_pending(checks, done)) {
        struct outcome out = {0};
        const char *check;

        memset(progress, 0, sizeof(*progress));
        if (run_child(report, done, progress, run, data, &out) != 0) {
            cause = errno;
            break;
        }
        if (first_pending(checks, done) == NULL)
            break;
        check = blame(report, checks, done, progress, &out);
        if (check == checks[0]) {
            snprintf(reason, sizeof(reason), "the %s check did not finish",
                     check);
            skip_pending(report, checks, done, reason);
        }
    }
    if (progress == MAP_FAILED || done == NULL ||
        first_pending(checks, done) != NULL) {
        snprintf(reason, sizeof(reason), "cannot start a child process: %s",
                 strerror(cause));
        if (done == NULL)
            whkp_check_skip_all(report, checks, reason);
        else
            skip_pending(report, checks, done, reason);
        status = -1;
    }
    if (progress != MAP_FAILED)
        munmap(progress, sizeof(*progress));
    json_decref(done);
    return status;
}
