/*
 * human.h: numbers and dates as people read them, one way for every
 * human-facing output (HTML, Markdown, documents, spreadsheets' display,
 * the shortlist, the showcase, terminal tables).  Machine formats (JSON,
 * CSV, export) keep plain numbers and ISO 8601.
 *
 *   tables        1,234,567        human_int()
 *   prose, cards  4155.3万, 1.2亿   human_wan()
 *   the index     138.0, 12,345.6  human_index() (one decimal everywhere)
 *   in tables     9月4日 10:54      human_datetime()
 *   in titles     2025年9月1日      human_date_long()
 *   short         9月4日            human_date_short()
 *
 * Times are UTC seconds shown in Beijing time (+08:00).  Every function
 * writes a NUL-terminated string into out and returns out.
 */
#ifndef KEPU_UTIL_HUMAN_H
#define KEPU_UTIL_HUMAN_H

#include <stdint.h>

#define HUMAN_SIZE 40 /* room for any of them */

/* 1234567 -> "1,234,567"; negative numbers keep their sign. */
char *human_int(int64_t n, char out[HUMAN_SIZE]);
/* Below 10,000 as is ("9,999" -> "9999"); then 万 with one decimal
 * ("41553000" -> "4155.3万", a trailing .0 dropped: "12万"); from 1亿 on
 * 亿 with one decimal ("120000000" -> "1.2亿"). */
char *human_wan(int64_t n, char out[HUMAN_SIZE]);
/* One decimal, thousands separated as in tables: 138 -> "138.0",
 * 12345.64 -> "12,345.6". */
char *human_index(double x, char out[HUMAN_SIZE]);
/* "9月4日 10:54" */
char *human_datetime(int64_t t, char out[HUMAN_SIZE]);
/* "2025年9月1日" */
char *human_date_long(int64_t t, char out[HUMAN_SIZE]);
/* "9月4日" */
char *human_date_short(int64_t t, char out[HUMAN_SIZE]);

#endif
