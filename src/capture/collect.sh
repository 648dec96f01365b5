# fleetstat collection script, capture format 4. POSIX sh: runs under dash, bash and busybox sh with
# busybox applets only. Read-only: it reads /proc and /etc/passwd, writes nothing but its standard
# output, and starts no daemon. src/capture/format.ts owns every section name below and its meaning.
#
# The caller sends `M=<random hex>` as the first line on stdin, optionally `D=<seconds>` (the
# collection's own deadline, see the watchdog below) and `L=1` (only listening TCP sockets are
# wanted: see emit_tables), then this file, to `sh -s`. The marker
# never appears in argv (where another user could read it) and nothing from the inventory is ever put
# in here. Output is a series of sections:
#     \n<M> <name> <arg>\n<raw bytes of one file>\n<M> rc <status>
# and finally `\n<M> end\n`, whose absence means the capture is truncated.
# Every section starts with the newline that closes the previous one, so section bytes are exact.
# Forks are few and fixed: one `head` per namespace for all its tables, one command per 250 pids for
# what is read per process (per_pid), small files read by the shell itself. Only where `grep -z` is
# missing is there one `cat` per socket-holding pid (and only under a shell without `read -d`: dash).

LC_ALL=C
export LC_ALL
# GNU ls takes its quoting and date form from these (a ~/.bashrc may set them): quoted names or a
# date holding ` -> ` would make every link line unreadable.
unset QUOTING_STYLE TIME_STYLE
# and an old grep its default options (colour would wrap every match in escapes)
unset GREP_OPTIONS
# Appended, not prepended: a PATH of busybox applets (or whatever the host set up) keeps precedence.
PATH=$PATH:/usr/sbin:/usr/bin:/sbin:/bin

case ${M:-} in
  ????????????????????????????????*) ;;
  *) echo "fleetstat: no run marker given" >&2; exit 97 ;;
esac

# The collection bounds itself: with `D=<seconds>` as the second line of stdin, a watchdog kills this
# run's whole process group (the caller starts it as one: sshd's session, the local transport's
# detached child) once D seconds have passed, so that nothing of it outlives the scan's deadline even
# when the connection hangs (sshd refuses channel signals, and a frozen sshd closes nothing). It ends
# with us: once the end marker is written we stop it, and it checks each second that we are still there (a cut
# connection kills us by SIGPIPE: then it ends what we left). Its time is /proc/uptime's, no fork.
watchdog=''
case ${D:-} in
  ''|*[!0-9]*) ;;
  *)
    main=$$
    (
      read -r up _ < /proc/uptime
      until=$((${up%.*} + D))
      nap=''
      trap '[ -n "$nap" ] && kill "$nap" 2>/dev/null && wait "$nap"; exit 0' TERM
      while kill -0 "$main" 2>/dev/null; do
        read -r up _ < /proc/uptime
        [ "${up%.*}" -ge "$until" ] && kill -s KILL 0
        sleep 1 &
        nap=$!
        wait "$nap"
        nap=''
      done
      kill -s KILL 0
    ) </dev/null >/dev/null 2>&1 &
    watchdog=$!
    ;;
esac

# emit NAME ARG FILE [COPY]: one section with the file's raw bytes, written by COPY FILE (cat).
emit() {
  printf '\n%s %s %s\n' "$M" "$1" "$2"
  if [ -e "$3" ]; then
    if ${4:-cat} "$3" 2>/dev/null; then s=ok; else s=error; fi
  else
    s=absent
  fi
  printf '\n%s rc %s' "$M" "$s"
}

# emit_text NAME FILE: a small text file (no NUL) copied by the shell itself, line by line, the last
# as it is: no fork. Only for files that read the same in pieces (a string sysctl: proc_dostring).
emit_text() {
  printf '\n%s %s \n' "$M" "$1"
  if [ -e "$2" ]; then
    if { l=""; while IFS= read -r l; do printf '%s\n' "$l"; done; printf '%s' "$l"; } 2>/dev/null < "$2"; then s=ok; else s=error; fi
  else
    s=absent
  fi
  printf '\n%s rc %s' "$M" "$s"
}

# The tables of one namespace go through one `head` (POSIX: a `==> NAME <==` header before each file,
# after a blank line but the first), /dev/null first so that there is a header even for one table.
# unix last: its paths are the only bytes in them a user chooses, so no header can be forged after it.
head_tables='tcp tcp6 udp udp6 udplite udplite6 raw raw6 icmp icmp6 packet unix'
# uid_tables: every table read but unix, for the passwd lines of socket owners (their uid columns)
uid_tables=''

# emit_tables ARG DIR: `net.absent ARG` (the tables DIR does not have) and `net.tables ARG`, the
# others' bytes through head, run in DIR (a /proc/PID/net). `gone` when DIR's process exited before
# or while it was read (net/dev is in every namespace: its absence says so); `error` when head failed.
# With L=1, tcp and tcp6 come in `net.listening ARG` instead: through a grep that keeps head's
# headers and blank lines, each table's header line and its LISTEN (0A) rows, so that a host with
# hundreds of thousands of connections still fits the scan's byte cap when only listeners are asked for.
listening_only=''
[ "${L:-}" = 1 ] && listening_only=1
emit_tables() {
  absent=''
  present=''
  listen=''
  for t in $head_tables; do
    if [ -e "$2/$t" ]; then
      case $listening_only$t in
        1tcp|1tcp6) listen="$listen $t" ;;
        *) present="$present $t" ;;
      esac
      [ "$t" != unix ] && uid_tables="$uid_tables $2/$t"
    else
      absent="$absent $t"
    fi
  done
  put net.absent "$1" ok "${absent# }"
  head_section net.tables "$1" "$2" "$present" ''
  [ -n "$listening_only" ] && head_section net.listening "$1" "$2" "$listen" 1
  return 0
}

# head_section NAME ARG DIR TABLES LISTENERS: a section of head's output over TABLES, run in DIR;
# with LISTENERS, only the lines that keep head's framing and a table's header and LISTEN rows.
head_section() {
  printf '\n%s %s %s\n' "$M" "$1" "$2"
  s=error
  if cd "$3" 2>/dev/null; then
    if [ -n "$5" ]; then
      # grep's 1 is "no line": not a failure
      { head -n 2147483647 /dev/null $4 2>/dev/null | grep -e '^==> ' -e '^$' -e '^ *sl ' -e '^ *[0-9][0-9]*: [^ ]* [^ ]* 0A '; [ $? -le 1 ]; } && s=ok
    else
      head -n 2147483647 /dev/null $4 2>/dev/null && s=ok
    fi
    cd /
  fi
  [ -e "$3/dev" ] || s=gone
  printf '\n%s rc %s' "$M" "$s"
}

# per_pid COMMAND FILES PIDS: COMMAND (a function) on /proc/PID/FILE for every pid and every one of
# FILES, 250 pids at a time: a fork per 250 processes, and no list longer than a batch is ever built
# (appending to one long string costs bash the square of its length).
per_pid() {
  batch=''
  n=0
  for pid in $3; do
    for f in $2; do batch="$batch /proc/$pid/$f"; done
    n=$((n + 1))
    if [ "$n" -ge 250 ]; then
      $1 $batch
      batch=''
      n=0
    fi
  done
  if [ -n "$batch" ]; then $1 $batch; fi
  return 0
}

# nul_copy FILE: the bytes of a file of NUL-separated strings (a cmdline), copied by the shell alone:
# each string read up to its NUL and printed with one again, the last as it is (it need not end with
# a NUL). Exact for every byte but NUL, which no shell variable holds; a file it cannot open fails.
# Only where the shell passes the check below (bash and busybox ash do, dash has no `read -d`).
nul_copy() { nul_copy_stdin < "$1"; }
nul_copy_stdin() {
  a=''
  while IFS= read -r -d '' a; do printf '%s\000' "$a"; a=''; done
  printf '%s' "$a"
}
# Where grep has no -z: a cmdline is copied by nul_copy where this shell reproduces awkward bytes
# exactly (backslash, newline, control and high bytes, empty strings, no final NUL), else by one `cat`
# per pid. (A function: the check costs forks, paid only on such a host.)
nul_sample() { printf 'x\\y\n\001\177\200\377 \t\000\000z'; }
pick_cmdline_copier() {
  copy_cmdline=cat
  [ "$( (nul_sample | nul_copy_stdin) 2>/dev/null | od -An -tx1 | tr -d ' \n')" = \
    "$(nul_sample | od -An -tx1 | tr -d ' \n')" ] && copy_cmdline=nul_copy
}

# begin NAME ARG / finish: a section whose bytes commands write.
begin() { printf '\n%s %s %s\n' "$M" "$1" "$2"; }
finish() { printf '\n%s rc ok' "$M"; }
# put NAME ARG STATUS BYTES: a section whose bytes the script already holds.
put() { printf '\n%s %s %s\n%s\n%s rc %s' "$M" "$1" "$2" "$4" "$M" "$3"; }

# Lists of lines are split on newlines only, with pathname expansion off (a `?`, `*` or `[` in what a
# command printed is data): `set -f; IFS=$nl` … `IFS=$old_ifs; set +f` around each such loop.
nl='
'
old_ifs=$IFS

put format '' ok 4

# --- facts about the host -------------------------------------------------------------------
emit_text meta.hostname /proc/sys/kernel/hostname
emit_text meta.kernel /proc/sys/kernel/osrelease
emit_text meta.bootid /proc/sys/kernel/random/boot_id
# cat: an integer sysctl reads as nothing from any offset but 0 (__do_proc_dointvec), and dash's
# read takes one byte at a time
emit meta.portrange '' /proc/sys/net/ipv4/ip_local_port_range
# /proc/net writes addresses in the host's own byte order: 1 means little-endian, 256 big-endian.
begin meta.byteorder ''
printf '\001\000' | od -An -tu2
finish
# Our effective uid, and the groups the kernel checks a gid against (in_group_p: the fs gid and the
# supplementary ones), from our own status: what `id -u` and `id -G` print, without their forks.
my_uid=''
my_groups=''
while IFS= read -r line; do
  case $line in
    Uid:*) set -- ${line#Uid:}; my_uid=${2:-} ;;
    Gid:*) set -- ${line#Gid:}; my_groups=${4:-} ;;
    Groups:*) set -- ${line#Groups:}; [ $# -gt 0 ] && my_groups="$my_groups $*"; break ;;
  esac
done 2>/dev/null < /proc/self/status
put meta.uid '' ok "$my_uid"
put meta.groups '' ok "$my_groups"
# Our own pid and our ancestors: the collection's own session is not the host's to count.
put meta.self '' ok "$$"
# sshd's "client-ip client-port server-ip server-port". sudo's env_reset drops it: then the nearest
# sudo above us still has it in the environment it started with.
ssh_connection=${SSH_CONNECTION:-}
ancestry=''
p=$$
n=0
while [ "$n" -lt 64 ]; do
  pp=''
  name=''
  while IFS= read -r line; do
    case $line in
      Name:*) name=${line#Name:?} ;;
      PPid:*) pp=${line#PPid:?}; break ;;
    esac
  done 2>/dev/null < "/proc/$p/status"
  if [ -z "$ssh_connection" ] && [ "$name" = sudo ]; then
    line=$(tr '\000' '\n' 2>/dev/null < "/proc/$p/environ" | grep '^SSH_CONNECTION=')
    line=${line%%"$nl"*}
    ssh_connection=${line#SSH_CONNECTION=}
  fi
  case $pp in ''|*[!0-9]*) break ;; esac
  ancestry="$ancestry$p $pp$nl"
  [ "$pp" -eq 0 ] && break
  p=$pp
  n=$((n + 1))
done
put meta.ancestry '' ok "$ancestry"
put meta.ssh '' ok "$ssh_connection"
# hidepid= hides other users' processes altogether: the mount options and pid 1 (always there) tell.
begin meta.procmounts ''
grep ' - proc ' /proc/self/mountinfo 2>/dev/null
finish
if [ -d /proc/1 ]; then put meta.pid1 '' ok 1; else put meta.pid1 '' ok 0; fi

# --- network namespaces -----------------------------------------------------------------------
# Our own namespace is read through /proc/self/net (arg `self`), every other one through the first
# pid found in it (arg: its inode). A kernel without namespaces has no ns/net links at all.
# One `ls -l` for all processes, `... /proc/123/ns/net -> net:[4026531840]`, and for our own
# namespace: ls's /proc/self, whose namespace is ours (sorted last: `s` comes after the digits).
seen=' '
readers=''
own_ns=''
nslinks=$(ls -l /proc/[0-9]*/ns/net /proc/self/ns/net 2>/dev/null)
set -f
IFS=$nl
begin netns.pids ''
for line in $nslinks; do
  case $line in
    *' /proc/self/ns/net -> net:['*']')
      own_ns=${line##*net:\[}
      own_ns=${own_ns%\]}
      ;;
    *' -> net:['*']')
      ns=${line##*net:\[}
      ns=${ns%\]}
      pid=${line#*/proc/}
      pid=${pid%%/*}
      printf '%s %s\n' "$pid" "$ns"
      case $seen in
        *" $ns "*) ;;
        *)
          seen="$seen$ns "
          readers="$readers $pid:$ns"
          ;;
      esac
      ;;
  esac
done
finish
IFS=$old_ifs
set +f
put meta.netns '' ok "$own_ns"

# `ip netns` names are bind mounts of the namespace files: their inodes are the namespace ids.
begin netns.names ''
[ -d /run/netns ] && ls -1iL /run/netns 2>/dev/null
finish

emit_tables self /proc/self/net
# live_reader NS: a pid of that namespace (from the ls above) that still exists; empty when none is.
live_reader() {
  set -f
  IFS=$nl
  found=''
  for line in $nslinks; do
    case $line in
      *" -> net:[$1]")
        p=${line#*/proc/}
        p=${p%%/*}
        if [ -e "/proc/$p/net/dev" ]; then found=$p; break; fi
        ;;
    esac
  done
  IFS=$old_ifs
  set +f
  printf '%s' "$found"
}
for r in $readers; do
  pid=${r%%:*}
  ns=${r#*:}
  [ "$ns" = "$own_ns" ] && continue
  # the reader may have exited since ls saw it: another process of its namespace will do
  [ -e "/proc/$pid/net/dev" ] || pid=$(live_reader "$ns")
  # none left: the namespace went with its last process
  [ -n "$pid" ] || continue
  put netns.reader "$ns" ok "$pid"
  emit_tables "$ns" "/proc/$pid/net"
done

# --- which process holds which socket ------------------------------------------------------------
# One `ls -ln` over every fd directory; keep the directory headers, socket links (and the legacy
# `[0000]:N` form), and link lines with no target: links ls could not read.
# -q: a link target is a file name, which may hold a newline and so forge a header line; GNU ls -q
# prints it as '?'. busybox ls has no -q but always prints '?' for unprintable characters.
lsq=-lnq
ls -q / >/dev/null 2>&1 || lsq=-ln
fdlinks=$(ls $lsq /proc/[0-9]*/fd/ 2>/dev/null | grep -e '^/proc/' -e ' -> socket:\[' -e ' -> \[0000\]:' -e '^l[^>]*$')
put fdlinks '' ok "$fdlinks$nl"

# Pids that hold at least one socket, and links ls could not read. Reading a link is allowed or
# denied per process (ptrace_may_access), never per fd: a process whose links were refused still
# exists and still refuses its cwd link. Otherwise the links were fds closed (or a process exiting)
# while ls read them: normal, not counted. fd.denied: `PID COUNT` of the refused ones.
# ls lists each fd directory once (one glob word each), so a pid is added at its first socket link,
# without searching the list (which would make thousands of holders cost their square).
pids=''
denied=''
cur=''
held=''
count=0
refused() { [ "$count" -gt 0 ] && [ -d "/proc/$cur" ] && ! [ -e "/proc/$cur/cwd" ]; }
set -f
IFS=$nl
for line in $fdlinks; do
  case $line in
    /proc/*/fd:|/proc/*/fd/:)
      refused && denied="$denied$cur $count$nl"
      count=0
      held=''
      cur=${line#/proc/}
      cur=${cur%%/*}
      ;;
    *' -> socket:['*|*' -> [0000]:'*)
      if [ -z "$held" ] && [ -n "$cur" ]; then pids="$pids $cur"; held=1; fi
      ;;
    l*' -> '*) ;;
    l*) count=$((count + 1)) ;;
  esac
done
refused && denied="$denied$cur $count$nl"
denied_pids=''
for line in $denied; do denied_pids="$denied_pids ${line%% *}"; done
IFS=$old_ifs
set +f
put fd.denied '' ok "$denied"

# fd directories we cannot list at all (another user's processes, when not root); the Name: of each
# (and of the pids above), and whether it has memory at all (no VmSize: a kernel thread or a zombie,
# with no fds to read), by one grep per 250 pids rather than one read each.
unreadable=$(
  for d in /proc/[0-9]*; do
    if [ -d "$d/fd" ]; then
      [ -r "$d/fd" ] && [ -x "$d/fd" ] && continue
    else
      # hidepid=1 (noaccess) closes even the lookup of fd/; a process that is gone is not there at all
      [ -d "$d" ] || continue
    fi
    printf '%s\n' "${d#/proc/}"
  done
)
put fd.unreadable '' ok "$unreadable${unreadable:+$nl}"
status_lines() { grep -H -e '^Name:' -e '^VmSize:' "$@" 2>/dev/null; }
begin fd.unreadable.status ''
per_pid status_lines status "$denied_pids $unreadable"
finish

# Socket holders: the pids, then the Name: (the kernel escapes \n and \ in it: one line) and Uid:
# lines of their status files, and their cmdlines, each by one grep per 250 processes.
put proc.holders '' ok "${pids# }"
holder_lines() { grep -H -e '^Name:' -e '^Uid:' "$@" 2>/dev/null; }
holders_status=$(per_pid holder_lines status "$pids")
put proc.status '' ok "$holders_status${holders_status:+$nl}"
# `grep -z -H ''` prints each NUL-ended string of a cmdline as `/proc/PID/cmdline:STRING` and a NUL:
# every byte but NUL kept, and no string can forge a name (each begins after a NUL). GNU grep wants
# -a (else it may call the bytes binary); busybox grep has no -a. Our own cmdline, never empty, tells
# which one works. Without either: the per-pid sections of earlier formats.
cmdline_grep=''
if grep -a -z -q '' /proc/self/cmdline 2>/dev/null; then
  cmdline_grep='grep -a -z -H'
elif grep -z -q '' /proc/self/cmdline 2>/dev/null; then
  cmdline_grep='grep -z -H'
fi
cmdline_lines() { $cmdline_grep '' "$@" 2>/dev/null; }
if [ -n "$cmdline_grep" ]; then
  begin proc.cmdlines ''
  per_pid cmdline_lines cmdline "$pids"
  finish
else
  put proc.cmdlines '' absent ''
  pick_cmdline_copier
  for pid in $pids; do emit proc.cmdline "$pid" "/proc/$pid/cmdline" "$copy_cmdline"; done
fi

# Their exe and cwd links: `... /proc/123/exe -> /usr/bin/foo`, the kernel's ` (deleted)` after an
# unlinked file. -d: a cwd is listed as the link, never as its directory's contents. A link ls may
# not read (another user's process without root, a kernel thread's exe) is a line with no ` -> `; a
# process gone meanwhile, no line. The target is a path: -q (or busybox) prints its newlines as '?'.
link_lines() { ls $lsq -d "$@" 2>/dev/null; }
begin proc.links ''
per_pid link_lines 'exe cwd' "$pids"
finish

# passwd lines of the holders' effective uids (Uid: real effective saved fs), and of every socket
# owner in the tables (netstat -e names them even when no process is seen): the uid column of the
# inet tables (8th field of a `N:` line) and the User column of packet (8th; its first line is the
# header). Each uid once: the pattern stays as short as the distinct owners. awk where there is one
# (the shell's loop and sed's regular expressions cost ten times as much on thousands of lines).
if command -v awk >/dev/null 2>&1; then
  # the tables through getline, which fails on a file that went (a namespace whose reader exited
  # since head) where a file operand would end awk altogether
  uids=$(printf '%s\n' "$holders_status" | awk -v tables="$uid_tables" -v listening="$listening_only" '
    function once(u) { if (!(u in seen)) { seen[u]; print u } }
    $1 ~ /^\/proc\/[0-9]+\/status:Uid:$/ { once($3) }
    END {
      n = split(tables, file, " ")
      for (i = 1; i <= n; i++) {
        packet = file[i] ~ /\/packet$/
        # with L=1 only the listeners of tcp were sent: only their owners are wanted
        listeners = listening != "" && file[i] ~ /\/tcp6?$/
        first = 1
        while ((getline line < file[i]) > 0) {
          split(line, w, " ")
          if ((w[1] ~ /^[0-9]+:$/ && (!listeners || w[4] == "0A")) || (packet && !first)) once(w[8])
          first = 0
        }
        close(file[i])
      }
    }' 2>/dev/null)
else
  uids=''
  set -f
  IFS=$nl
  for line in $holders_status; do
    # the shortest prefix: a Name: may hold `/status:Uid:` itself
    case ${line#/proc/*/status:} in
      Uid:*)
        IFS=$old_ifs
        set -- ${line#/proc/*/status:Uid:}
        IFS=$nl
        case "$uids " in *" ${2:-} "*) ;; *) uids="$uids ${2:-}" ;; esac
        ;;
    esac
  done
  IFS=$old_ifs
  set +f
  [ -n "$uid_tables" ] && uids="$uids $(sed -n \
    -e 's/^ *[0-9]*: [^ ]* [^ ]* [^ ]* [^ ]* [^ ]* [^ ]* *\([0-9][0-9]*\) .*/\1/p' \
    -e 's/^[0-9a-f][0-9a-f]* *[0-9][0-9]* *[0-9][0-9]* *[0-9a-f][0-9a-f]* *[0-9][0-9]* *[0-9] *[0-9][0-9]* *\([0-9][0-9]*\) *[0-9][0-9]* *$/\1/p' \
    $uid_tables 2>/dev/null | sort -u)"
fi
pattern=''
for u in $uids; do
  case $u in ''|*[!0-9]*) ;; *) pattern="$pattern${pattern:+|}$u" ;; esac
done
begin passwd ''
[ -n "$pattern" ] && [ -r /etc/passwd ] && grep -E "^[^:]*:[^:]*:($pattern):" /etc/passwd 2>/dev/null
finish

# The watchdog lives until the end marker is written: that write too blocks while the connection hangs.
printf '\n%s end\n' "$M"
if [ -n "$watchdog" ]; then
  kill "$watchdog" 2>/dev/null
  wait "$watchdog" 2>/dev/null
fi
# `sh -s` would read on for more commands until its stdin ends: a hung connection never ends it.
exit 0
