/*
 * csvguard.h: the spreadsheet formula guard, one rule for the CSV writers
 * and the CSV reader.
 *
 * Excel, WPS and LibreOffice run a cell that starts with = + - @ (also
 * after spaces, and in their full-width forms ＝ ＋ － ＠) or with a tab or
 * CR as a formula.  A writer puts an apostrophe in front of such a cell,
 * and of a cell that already is apostrophes followed by one, so that
 * import, which removes one apostrophe from a cell the rule marks, gives
 * every cell back exactly: `=1+1` <-> `'=1+1`, `'=1+1` <-> `''=1+1`.
 */
#ifndef KEPU_UTIL_CSVGUARD_H
#define KEPU_UTIL_CSVGUARD_H

/* Does the cell s need the apostrophe in front when written? */
int csv_guard_needed(const char *s);

/* Was the cell s written with the apostrophe (remove one when read)? */
int csv_guard_present(const char *s);

#endif
