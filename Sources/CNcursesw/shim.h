#ifndef SETLIST_CNCURSESW_SHIM_H
#define SETLIST_CNCURSESW_SHIM_H
// SwiftPM drops pkg-config's -D flags, so ask for the wide-character API here.
#define NCURSES_WIDECHAR 1
#define _XOPEN_SOURCE_EXTENDED 1
#include <locale.h>
#include <signal.h>
#include <sys/ioctl.h>
#include <unistd.h>
#include <ncursesw/curses.h>

// Macros Swift cannot import, as functions.
static inline int setlist_a_bold(void) { return (int)A_BOLD; }
static inline int setlist_a_reverse(void) { return (int)A_REVERSE; }
static inline int setlist_a_dim(void) { return (int)A_DIM; }
static inline int setlist_a_underline(void) { return (int)A_UNDERLINE; }
static inline int setlist_color_pair(int n) { return (int)COLOR_PAIR(n); }
static inline int setlist_key_resize(void) { return KEY_RESIZE; }
static inline int setlist_colors(void) { return COLORS; }
static inline int setlist_color_pairs(void) { return COLOR_PAIRS; }
static inline unsigned long setlist_all_mouse_events(void) { return (unsigned long)ALL_MOUSE_EVENTS; }

// The terminal's real size from the kernel (ioctl is variadic, so Swift cannot call it).
static inline int setlist_terminal_size(int *rows, int *columns) {
    struct winsize size;
    if (ioctl(STDOUT_FILENO, TIOCGWINSZ, &size) != 0) return -1;
    *rows = size.ws_row;
    *columns = size.ws_col;
    return 0;
}

// The width of the terminal behind a file descriptor (progress bars on standard error), or -1.
static inline int setlist_terminal_columns(int fd) {
    struct winsize size;
    if (ioctl(fd, TIOCGWINSZ, &size) != 0 || size.ws_col == 0) return -1;
    return size.ws_col;
}

// A parent process may have blocked signals, and children inherit the mask (a test runner's tmux
// passes its own on): ncurses needs SIGWINCH to notice resizes, and a blocked SIGHUP, SIGTERM or
// SIGINT would leave the process running after its terminal or its user asked it to end.
static inline void setlist_unblock_terminal_signals(void) {
    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, SIGWINCH);
    sigaddset(&set, SIGHUP);
    sigaddset(&set, SIGTERM);
    sigaddset(&set, SIGINT);
    pthread_sigmask(SIG_UNBLOCK, &set, NULL);
}
#endif
