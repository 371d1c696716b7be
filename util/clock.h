/*
 * clock.h: the time kepu takes for "now" when it collects.
 *
 * The system clock, unless the environment variable KEPU_NOW holds unix
 * seconds: then that, plus the seconds this process has run.  KEPU_NOW is
 * for tests only (a simulated month, a refresh a day later); nothing in
 * an operator's setup should set it.
 */
#ifndef KEPU_UTIL_CLOCK_H
#define KEPU_UTIL_CLOCK_H

#include <stdint.h>

int64_t kclock_now(void);

#endif
