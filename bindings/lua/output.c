/*
** Output that is whole or absent: a named file replaced only once every
** byte of its new content is on disk, and a check of an io file at exit
** that notices a write error stdio swallowed earlier (as cat does).
*/
#define _POSIX_C_SOURCE 200809L

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "core.h"


FILE *dfl_checkfile (lua_State *L, int arg) {
  FILE **stream = (FILE **)luaL_checkudata(L, arg, LUA_FILEHANDLE);
  if (dflc_isclosedfile(stream))
    luaL_argerror(L, arg, "attempt to use a closed file");
  return *stream;
}


/* Tries at a fresh temporary name before giving up. */
#define TEMP_TRIES 100

/* Symbolic links followed before giving up, as the kernel's MAXSYMLINKS. */
#define MAX_LINKS 40


/* Whether a name stands for a process's descriptor or a device (/dev/stdout,
** /proc/self/fd/1): those are written where they lead, never replaced. */
static int isspecialname (const char *name) {
  return strncmp(name, "/dev/", 5) == 0 || strstr(name, "/proc/") != NULL;
}


/*
** The regular file that 'path' names, following symbolic links, pushed on
** the stack; nothing is pushed, and 0 returned, when the path (or a link on
** the way) is a device, a pipe, a descriptor's name or anything else that
** must be written in place.  A missing file is a new regular file.
*/
static int regulartarget (lua_State *L, const char *path) {
  struct stat st;
  int links;
  if (isspecialname(path))
    return 0;
  lua_pushstring(L, path);
  for (links = 0; links < MAX_LINKS; links++) {
    const char *name = lua_tostring(L, -1);
    char target[4096];
    ssize_t n;
    if (lstat(name, &st) != 0)
      return errno == ENOENT ? 1 : (lua_pop(L, 1), 0);
    if (S_ISREG(st.st_mode))
      return 1;
    if (!S_ISLNK(st.st_mode))
      break;
    n = readlink(name, target, sizeof target - 1);
    if (n < 0 || (size_t)n == sizeof target - 1)
      break;
    target[n] = '\0';
    if (isspecialname(target))
      break;
    /* a relative link is relative to the directory holding it */
    lua_pushlstring(L, name, target[0] == '/' || strrchr(name, '/') == NULL
                             ? 0 : (size_t)(strrchr(name, '/') - name + 1));
    lua_pushstring(L, target);
    lua_concat(L, 2);
    lua_remove(L, -2);
  }
  lua_pop(L, 1);
  return 0;
}


static int fileerror (lua_State *L, const char *path, int errnum) {
  luaL_pushfail(L);
  lua_pushfstring(L, "%s: %s", path, strerror(errnum));
  return 2;
}


/* Write all of text[0..len) to fd; 0, or -1 with errno set. */
static int writeall (int fd, const char *text, size_t len) {
  while (len > 0) {
    ssize_t n = write(fd, text, len);
    if (n < 0) {
      if (errno == EINTR)
        continue;
      return -1;
    }
    text += n;
    len -= (size_t)n;
  }
  return 0;
}


/*
** Create a new file beside 'path' (same directory, so the rename stays on
** one file system) with the mode a plain open would give; its name goes on
** the stack.  Returns the descriptor, or -1 with errno set.
*/
static int opentemp (lua_State *L, const char *path) {
  unsigned long seed = (unsigned long)getpid() ^ (unsigned long)time(NULL)
                       ^ (unsigned long)(size_t)&seed;
  int i;
  for (i = 0; i < TEMP_TRIES; i++) {
    int fd;
    seed = seed * 6364136223846793005UL + 1442695040888963407UL;
    lua_pushfstring(L, "%s.tmp%d", path, (int)((seed >> 33) % 1000000));
    fd = open(lua_tostring(L, -1), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC,
              0666);
    if (fd >= 0 || errno != EEXIST)
      return fd;
    lua_pop(L, 1);
  }
  lua_pushliteral(L, "");
  errno = EEXIST;
  return -1;
}


/*
** core.write_file(path, text) --> true, or fail and "path: reason"
** A regular file (or a new one; through symbolic links, the file they lead
** to) is replaced atomically: text goes to a temporary file beside it, is
** flushed to disk, and only then renamed over it, keeping its permissions;
** on any failure the old file stays as it was and the temporary file is
** removed.  Anything else (a device, a FIFO, "/dev/stdout" and
** "/proc/self/fd/N" whatever they lead to) is written in place, as it
** cannot be replaced.  SIGXFSZ is ignored
** while writing, so that a file size limit is a write error (EFBIG) like a
** full disk rather than the death of the process with the temporary file
** left behind.
*/
static int write_file (lua_State *L) {
  const char *path = luaL_checkstring(L, 1);
  size_t len;
  const char *text = luaL_checklstring(L, 2, &len);
  struct stat st;
  struct sigaction ignore, saved;
  int exists = 0, fd, failed, errnum;
  const char *target = NULL, *temp = NULL;
  if (regulartarget(L, path)) {
    target = lua_tostring(L, -1);
    exists = stat(target, &st) == 0;
    fd = opentemp(L, target);
    if (fd < 0)
      return fileerror(L, path, errno);
    temp = lua_tostring(L, -1);
  }
  else {
    fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0666);
    if (fd < 0)
      return fileerror(L, path, errno);
  }
  memset(&ignore, 0, sizeof ignore);
  ignore.sa_handler = SIG_IGN;
  sigemptyset(&ignore.sa_mask);
  sigaction(SIGXFSZ, &ignore, &saved);
  failed = writeall(fd, text, len) != 0
           || (temp != NULL && exists && fchmod(fd, st.st_mode & 07777) != 0)
           || (temp != NULL && fsync(fd) != 0);
  errnum = errno;
  sigaction(SIGXFSZ, &saved, NULL);
  if (close(fd) != 0 && !failed) {
    failed = 1;
    errnum = errno;
  }
  if (!failed && temp != NULL && rename(temp, target) != 0) {
    failed = 1;
    errnum = errno;
  }
  if (failed) {
    if (temp != NULL)
      unlink(temp);
    return fileerror(L, path, errnum);
  }
  lua_pushboolean(L, 1);
  return 1;
}


/*
** core.flush_output(file) --> true, or fail, the reason and errno (0 when
** the error was met earlier and its errno is gone)
** Flushes an io library file and reports any write error on it so far,
** including one stdio met while flushing a full buffer behind a write whose
** result nobody checked (print, io.write in a script).
*/
static int flush_output (lua_State *L) {
  FILE *stream = dfl_checkfile(L, 1);
  int errnum;
  errno = 0;
  if (fflush(stream) == 0 && !ferror(stream)) {
    lua_pushboolean(L, 1);
    return 1;
  }
  errnum = errno;
  luaL_pushfail(L);
  if (errnum != 0)
    lua_pushstring(L, strerror(errnum));
  else
    lua_pushliteral(L, "write error");
  lua_pushinteger(L, errnum);
  return 3;
}


static const luaL_Reg output_funcs[] = {
  {"write_file", write_file},
  {"flush_output", flush_output},
  {NULL, NULL}
};


void dfl_open_output (lua_State *L) {
  luaL_setfuncs(L, output_funcs, 0);
}
