// The shortest cache-line round trip between the cores measured on this boot of the
// machine (thread_policy.c compares a process's trips with it before the process has
// measured a near one itself), kept in $XDG_CACHE_HOME/nns (default ~/.cache/nns), file
// core-round-trip: the boot's id (/proc/sys/kernel/random/boot_id: a VM booted anew may
// sit on another host) and the trip in ns. Any failure (no home, a read-only disk, a
// garbage file) leaves it unused; the file is replaced by rename from a file of its own,
// never written through a symlink or onto anything but a regular file.
#define _GNU_SOURCE
#include "nns_kernels.h"
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/// The cache folder (…/.cache, or $XDG_CACHE_HOME) in `cache`, and the file in `path`.
static int recorded_path(char cache[PATH_MAX], char path[PATH_MAX]) {
    const char *xdg = getenv("XDG_CACHE_HOME"), *home = getenv("HOME");
    int n;
    if (xdg && xdg[0] == '/') n = snprintf(cache, PATH_MAX, "%s", xdg);
    else if (home && home[0] == '/') n = snprintf(cache, PATH_MAX, "%s/.cache", home);
    else return -1;
    if (n <= 0 || n >= PATH_MAX) return -1;
    n = snprintf(path, PATH_MAX, "%s/nns/core-round-trip", cache);
    return n > 0 && n < PATH_MAX ? 0 : -1;
}

static int read_boot_id(char id[64]) {
    FILE *f = fopen("/proc/sys/kernel/random/boot_id", "r");
    if (!f) return -1;
    int ok = fscanf(f, "%63s", id) == 1;
    fclose(f);
    return ok ? 0 : -1;
}

long nns_recorded_core_round_trip_ns(void) {
    char cache[PATH_MAX], path[PATH_MAX], boot[64], id[64];
    if (recorded_path(cache, path) || read_boot_id(boot)) return 0;
    int fd = open(path, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC);
    if (fd < 0) return 0;
    struct stat st;
    char text[160];
    ssize_t got = fstat(fd, &st) == 0 && S_ISREG(st.st_mode) ? read(fd, text, sizeof text - 1) : -1;
    close(fd);
    if (got <= 0) return 0;
    text[got] = 0;
    int at = 0;
    if (sscanf(text, "%63s%n", id, &at) != 1 || strcmp(id, boot) != 0) return 0;
    char *end;
    long ns = strtol(text + at, &end, 10); // saturates on overflow, where sscanf is undefined
    return end != text + at && ns > 0 && ns <= 100000 ? ns : 0;
}

void nns_record_core_round_trip_ns(long ns) {
    if (ns <= 0) return;
    char cache[PATH_MAX], path[PATH_MAX], temporary[PATH_MAX + 32], boot[64];
    if (recorded_path(cache, path) || read_boot_id(boot)) return;
    mkdir(cache, 0700); // when missing; a failure shows at the open below
    char *slash = strrchr(path, '/');
    *slash = 0;
    mkdir(path, 0700); // …/nns
    *slash = '/';
    struct stat st;
    if (lstat(path, &st) == 0 && !S_ISREG(st.st_mode)) return;
    if (snprintf(temporary, sizeof temporary, "%s.%ld.tmp", path, (long)getpid()) >= (int)sizeof temporary) return;
    int fd = open(temporary, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0644);
    if (fd < 0) return;
    char text[160];
    int n = snprintf(text, sizeof text, "%s %ld\n", boot, ns);
    int ok = n > 0 && write(fd, text, (size_t)n) == n;
    ok = close(fd) == 0 && ok;
    if (!ok || rename(temporary, path) != 0) unlink(temporary);
}
