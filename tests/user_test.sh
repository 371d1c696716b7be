#!/bin/sh
# `kepu user` through the real binary: adding each role, the password
# rule on standard input (a terminal's second prompt cannot be tested
# without a tty), duplicates, units (unknown, on a role that has none,
# missing), disable and passwd ending sessions, and that neither the
# database nor any output ever holds a password.  Ends with
# `user: N passed, N failed`.
set -u
NAME=user
. tests/lib.sh

DB=$T/u.db
PW='correct horse battery 正确'
# pw PASSWORD ARGS...: kepu --db $DB ARGS with PASSWORD and a newline on standard input
pw() {
	p=$1
	shift
	printf '%s\n' "$p" | kepu --db "$DB" "$@"
}
# raw BYTES ARGS...: kepu with exactly BYTES (printf escapes) on standard input
raw() {
	b=$1
	shift
	printf "$b" | kepu --db "$DB" "$@"
}
k() { kepu --db "$DB" "$@"; }
q() { /usr/bin/python3 -c 'import sqlite3,sys; c=sqlite3.connect(sys.argv[1]); print("\n".join("|".join(map(str,r)) for r in c.execute(sys.argv[2]))); c.commit()' "$DB" "$1"; }
same() { [ "$1" = "$2" ] || { echo "    got '$1', want '$2'"; return 1; }; }
# the password in no file of the database, in no output
secret_kept() {
	for f in "$DB" "$DB-wal" "$T/out" "$T/err"; do
		[ -e "$f" ] || continue
		if grep -a -q -F "$1" "$f"; then
			echo "    '$1' found in $f"
			return 1
		fi
	done
}

# ---- add: each role ----
status "add admin" 0 pw "$PW" user add alice --role admin
check "admin added" has "$T/out" "alice: added, 管理员 (admin)"
status "add reviewer" 0 pw "$PW" user add 王编辑 --role reviewer
status "add viewer" 0 pw "$PW" user add viewer1 --role viewer
status "add district by name" 0 pw "$PW" user add jiangjin --role district --unit 江津区
check "unit stored as its code" has "$T/out" "unit 江津区 (500116)"
status "add district by code" 0 pw "$PW" user add wanzhou --role district --unit 500101
status "list" 0 k user list
check "list header" has "$T/out" "^name	role	unit	disabled	created$"
check "list: five accounts and the header" lines "$T/out" 6
check "list: admin" has "$T/out" "^alice	管理员 (admin)	-	no	20"
check "list: reviewer" has "$T/out" "^王编辑	审核 (reviewer)	-	no	"
check "list: viewer" has "$T/out" "^viewer1	浏览 (viewer)	-	no	"
check "list: district with its unit" has "$T/out" "^jiangjin	区县 (district)	江津区 (500116)	no	"
check "list: district by code" has "$T/out" "^wanzhou	区县 (district)	万州区 (500101)	no	"
check "list shows no hash" sh -c "! grep -q argon2 '$T/out'"
check "stored: the unit's code" same "$(q "SELECT unit_code FROM users WHERE name = 'jiangjin'")" "500116"
check "stored: no unit for other roles" same "$(q "SELECT count(*) FROM users WHERE unit_code IS NULL")" "3"
check "stored: an argon2id hash" same "$(q "SELECT count(*) FROM users WHERE pwhash LIKE '\$argon2id\$%'")" "5"

# ---- refusals ----
status "duplicate" 2 pw "$PW" user add alice --role viewer
check "duplicate named" has "$T/err" "user 'alice' already exists"
check "duplicate: the first account kept" same "$(q "SELECT role FROM users WHERE name = 'alice'")" "admin"
status "unknown unit" 2 pw "$PW" user add x1 --role district --unit 火星区
check "unknown unit named" has "$T/err" "no unit '火星区' in the gazetteer"
status "unit on a viewer" 2 pw "$PW" user add x2 --role viewer --unit 江津区
check "unit on a viewer said" has "$T/err" "--unit is only for district accounts"
status "unit on an admin" 2 pw "$PW" user add x3 --role admin --unit 500116
status "district without a unit" 2 pw "$PW" user add x4 --role district
check "missing unit said" has "$T/err" "a district account needs --unit"
status "no role" 2 pw "$PW" user add x5
status "unknown role" 2 pw "$PW" user add x6 --role boss
status "name with a space" 2 pw "$PW" user add "a b" --role viewer
status "name with a colon" 2 pw "$PW" user add "a:b" --role viewer
status "name of 65 characters" 2 pw "$PW" user add "$(printf '%065d' 0)" --role viewer
status "name of 64 characters" 0 pw "$PW" user add "$(printf '%064d' 0)" --role viewer
check "nothing refused was added" same "$(q "SELECT count(*) FROM users")" "6"

# ---- the password rule, on standard input ----
status "9 characters" 2 pw "123456789" user add p1 --role viewer
check "short password said" has "$T/err" "shorter than 10 characters"
status "10 characters" 0 pw "1234567890" user add p2 --role viewer
status "9 CJK characters (27 bytes) are 9" 2 pw "科普科普科普科普科" user add p3 --role viewer
status "10 CJK characters" 0 pw "科普科普科普科普科普" user add p4 --role viewer
status "no newline at the end" 0 raw 'abcdefghijk' user add p5 --role viewer
status "empty" 2 raw '' user add p6 --role viewer
check "empty said" has "$T/err" "the password is empty"
status "a tab" 2 raw 'abcdefghij\tk\n' user add p7 --role viewer
check "control character said" has "$T/err" "control character"
status "CR LF" 2 raw 'abcdefghijk\r\n' user add p8 --role viewer
status "not UTF-8" 2 raw 'abcdefghijk\377\n' user add p9 --role viewer
check "not UTF-8 said" has "$T/err" "not valid UTF-8"
status "1024 bytes" 0 pw "$(printf '%01024d' 7)" user add p10 --role viewer
status "1025 bytes" 2 pw "$(printf '%01025d' 7)" user add p11 --role viewer
check "long password said" has "$T/err" "longer than 1024 bytes"
check "only the first line is the password" same "$(printf '%s\n%s\n' "$PW" 'second line' | kepu --db "$DB" user add p12 --role viewer >/dev/null 2>&1; echo $?)" "0"
check "refused passwords added nobody" same "$(q "SELECT group_concat(name, ' ') FROM (SELECT name FROM users WHERE name LIKE 'p%' ORDER BY name)")" "p10 p12 p2 p4 p5"
status "a refusal" 2 pw "secret9ch" user add p13 --role viewer
check "no message quotes the password" sh -c "! grep -q secret9ch '$T/out' '$T/err'"

# ---- disable ----
sess() { q "INSERT INTO sessions (id_hash, user, csrf, created_at, last_seen) VALUES ('$1', '$2', 'c', 0, 0)" >/dev/null; }
sess h1 jiangjin
sess h2 jiangjin
sess h3 alice
status "disable" 0 k user disable jiangjin
check "disable says the sessions it ended" has "$T/out" "jiangjin: disabled, 2 sessions ended"
check "the user's sessions are gone" same "$(q "SELECT group_concat(id_hash) FROM sessions")" "h3"
status "list after disable" 0 k user list
check "list shows disabled" has "$T/out" "^jiangjin	区县 (district)	江津区 (500116)	yes	"
status "disable again" 0 k user disable jiangjin
check "disable again ends nothing" has "$T/out" "0 sessions ended"
status "disable unknown" 2 k user disable nobody
check "unknown user named" has "$T/err" "no user 'nobody'"
status "disable without a name" 2 k user disable

# ---- passwd ----
before=$(q "SELECT pwhash FROM users WHERE name = 'alice'")
status "passwd" 0 pw "a new long password" user passwd alice
check "passwd says the sessions it ended" has "$T/out" "alice: password changed, 1 session ended"
check "alice's session is gone" same "$(q "SELECT count(*) FROM sessions")" "0"
after=$(q "SELECT pwhash FROM users WHERE name = 'alice'")
check "the hash changed" test "$before" != "$after"
check "the new hash is argon2id" same "${after%%\$v=*}" '$argon2id'
status "passwd too short" 2 pw "short" user passwd alice
check "short passwd keeps the hash" same "$(q "SELECT pwhash FROM users WHERE name = 'alice'")" "$after"
status "passwd unknown user" 2 pw "a new long password" user passwd nobody
check "passwd unknown named" has "$T/err" "no user 'nobody'"
status "passwd on a disabled account" 0 pw "a new long password" user passwd jiangjin
check "it stays disabled" has "$T/out" "stays disabled"
check "the role and unit unchanged" same "$(q "SELECT role, unit_code, disabled FROM users WHERE name = 'jiangjin'")" "district|500116|1"

# ---- no password anywhere ----
check "first password not stored" secret_kept "$PW"
check "a CJK password not stored" secret_kept "科普科普科普科普科普"
check "new password not stored" secret_kept "a new long password"
check "the search finds what is there" sh -c "grep -a -q argon2id '$DB' || grep -a -q argon2id '$DB-wal'"

# ---- help ----
status "user --help" 0 k user --help
check "help names the roles" has "$T/out" "管理员"
status "user add --help" 0 k user add --help
check "add --help lists the role choices" has "$T/out" "viewer|district|reviewer|admin"
status "user without a subcommand" 2 k user

summary
