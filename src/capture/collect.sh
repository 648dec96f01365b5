# fleetstat collection script, capture format 3. POSIX sh: runs under dash, bash and busybox sh with
# busybox applets only. Read-only: it reads /proc and /etc/passwd, writes nothing but its standard
# output, and starts no daemon. src/capture/format.ts owns every section name below and its meaning.
#
# The caller sends `M=<random hex>` as the first line on stdin, optionally `D=<seconds>` (the
# collection's own deadline, see the watchdog below), then this file, to `sh -s`. The marker
# never appears in argv (where another user could read it) and nothing from the inventory is ever put
# in here. Output is a series of sections:
#     \n<M> <name> <arg>\n<raw bytes of one file>\n<M> rc <status>
# and finally `\n<M> end\n`, whose absence means the capture is truncated.
# Every section starts with the newline that closes the previous one, so section bytes are exact.
# Forks are per file and per namespace, never per process, except one `cat` per socket-holding pid
# under a shell that cannot copy NUL-separated bytes itself (dash: see nul_copy); commands over many
# files take them 500 at a time (batched).

LC_ALL=C
export LC_ALL
# GNU ls takes its quoting and date form from these (a ~/.bashrc may set them): quoted names or a
# date holding ` -> ` would make every link line unreadable.
unset QUOTING_STYLE TIME_STYLE
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
# with us: at the end marker we stop it, and it checks each second that we are still there (a cut
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

# emit_via NAME ARG PID FILE: a section with /proc/PID/FILE's bytes, read through a namespace's
# reader; `gone` when that process exited before or while it was read (not an error: it may have
# been the namespace's last process). net/dev is in every namespace: without it (the process
# exited, or is a zombie, which has no namespaces) the reader is gone.
emit_via() {
  printf '\n%s %s %s\n' "$M" "$1" "$2"
  if [ -e "/proc/$3/$4" ]; then
    if cat "/proc/$3/$4" 2>/dev/null; then s=ok; elif [ -e "/proc/$3/net/dev" ]; then s=error; else s=gone; fi
  elif [ -e "/proc/$3/net/dev" ]; then
    s=absent
  else
    s=gone
  fi
  printf '\n%s rc %s' "$M" "$s"
}

# batched COMMAND FILES: COMMAND (a function) on the files (blank-separated words, none with a space
# or a pattern character), 500 at a time: one fork per 500 files, never one per file.
batched() {
  run=$1
  batch=''
  n=0
  for f in $2; do
    batch="$batch $f"
    n=$((n + 1))
    if [ "$n" -ge 500 ]; then
      $run $batch
      batch=''
      n=0
    fi
  done
  if [ -n "$batch" ]; then $run $batch; fi
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
# A cmdline is copied by nul_copy where this shell reproduces awkward bytes exactly (backslash,
# newline, control and high bytes, empty strings, no final NUL), else by one `cat` per pid.
nul_sample() { printf 'x\\y\n\001\177\200\377 \t\000\000z'; }
copy_cmdline=cat
[ "$( (nul_sample | nul_copy_stdin) 2>/dev/null | od -An -tx1 | tr -d ' \n')" = \
  "$(nul_sample | od -An -tx1 | tr -d ' \n')" ] && copy_cmdline=nul_copy

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

put format '' ok 3

# --- facts about the host -------------------------------------------------------------------
emit meta.hostname '' /proc/sys/kernel/hostname
emit meta.kernel '' /proc/sys/kernel/osrelease
emit meta.bootid '' /proc/sys/kernel/random/boot_id
emit meta.portrange '' /proc/sys/net/ipv4/ip_local_port_range
# /proc/net writes addresses in the host's own byte order: 1 means little-endian, 256 big-endian.
begin meta.byteorder ''
printf '\001\000' | od -An -tu2
finish
begin meta.uid ''
id -u
finish
begin meta.groups ''
id -G
finish
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
own_ns=$(ls -l /proc/self/ns/net 2>/dev/null)
case $own_ns in
  *' -> net:['*']') own_ns=${own_ns##*net:\[}; own_ns=${own_ns%\]} ;;
  *) own_ns='' ;;
esac
put meta.netns '' ok "$own_ns"

# `ip netns` names are bind mounts of the namespace files: their inodes are the namespace ids.
begin netns.names ''
ls -1iL /run/netns 2>/dev/null
finish

# One `ls -l` for all processes: `... /proc/123/ns/net -> net:[4026531840]`.
seen=" $own_ns "
readers=''
nslinks=$(ls -l /proc/[0-9]*/ns/net 2>/dev/null)
set -f
IFS=$nl
begin netns.pids ''
for line in $nslinks; do
  case $line in
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

tables='tcp tcp6 udp udp6 udplite udplite6 raw raw6 icmp icmp6 unix packet'
# the tables with a uid column, for the passwd lines of socket owners
uid_tables=''
for t in $tables; do
  emit "net.$t" self "/proc/self/net/$t"
  [ "$t" != unix ] && [ -e "/proc/self/net/$t" ] && uid_tables="$uid_tables /proc/self/net/$t"
done
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
  # the reader may have exited since ls saw it: another process of its namespace will do
  [ -e "/proc/$pid/net/dev" ] || pid=$(live_reader "$ns")
  # none left: the namespace went with its last process
  [ -n "$pid" ] || continue
  put netns.reader "$ns" ok "$pid"
  for t in $tables; do
    emit_via "net.$t" "$ns" "$pid" "net/$t"
    [ "$t" != unix ] && [ -e "/proc/$pid/net/$t" ] && uid_tables="$uid_tables /proc/$pid/net/$t"
  done
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
status_files=''
for line in $denied; do status_files="$status_files /proc/${line%% *}/status"; done
IFS=$old_ifs
set +f
put fd.denied '' ok "$denied"

# fd directories we cannot list at all (another user's processes, when not root); the Name: of each
# (and of the pids above), and whether it has memory at all (no VmSize: a kernel thread or a zombie,
# with no fds to read), by one grep per 500 pids rather than one read each.
begin fd.unreadable ''
for d in /proc/[0-9]*; do
  if [ -d "$d/fd" ]; then
    [ -r "$d/fd" ] && [ -x "$d/fd" ] && continue
  else
    # hidepid=1 (noaccess) closes even the lookup of fd/; a process that is gone is not there at all
    [ -d "$d" ] || continue
  fi
  printf '%s\n' "${d#/proc/}"
  status_files="$status_files $d/status"
done
finish
status_lines() { grep -H -e '^Name:' -e '^VmSize:' "$@" 2>/dev/null; }
begin fd.unreadable.status ''
batched status_lines "$status_files"
finish

# Socket holders: Name: and the effective uid from one read of /proc/PID/status (the kernel escapes
# \n and \ in Name:, so it is one line), and cmdline.
uids=''
for pid in $pids; do
  name=''
  uid=''
  status=error
  while IFS= read -r line; do
    case $line in
      Name:*) name=${line#Name:?}; status=ok ;;
      Uid:*) uid=$line; break ;;
    esac
  done 2>/dev/null < "/proc/$pid/status"
  set -- $uid
  uid=${3:-}
  # each uid once: the passwd pattern stays as short as the distinct owners
  case $uid in
    ''|*[!0-9]*) uid='' ;;
    *) case "$uids " in *" $uid "*) ;; *) uids="$uids $uid" ;; esac ;;
  esac
  put proc.name "$pid" "$status" "$name"
  put proc.uid "$pid" "$status" "$uid"
  emit proc.cmdline "$pid" "/proc/$pid/cmdline" "$copy_cmdline"
done

# Their exe and cwd links: `... /proc/123/exe -> /usr/bin/foo`, the kernel's ` (deleted)` after an
# unlinked file. -d: a cwd is listed as the link, never as its directory's contents. A link ls may
# not read (another user's process without root, a kernel thread's exe) is a line with no ` -> `; a
# process gone meanwhile, no line. The target is a path: -q (or busybox) prints its newlines as '?'.
link_lines() { ls $lsq -d "$@" 2>/dev/null; }
links=''
for pid in $pids; do links="$links /proc/$pid/exe /proc/$pid/cwd"; done
begin proc.links ''
batched link_lines "$links"
finish

# passwd lines of those uids, and of every socket owner in the tables (netstat -e names them even
# when no process is seen): the uid column of the inet tables and the User column of packet.
socket_uids=''
[ -n "$uid_tables" ] && socket_uids=$(sed -n \
  -e 's/^ *[0-9]*: [^ ]* [^ ]* [^ ]* [^ ]* [^ ]* [^ ]* *\([0-9][0-9]*\) .*/\1/p' \
  -e 's/^[0-9a-f][0-9a-f]* *[0-9][0-9]* *[0-9][0-9]* *[0-9a-f][0-9a-f]* *[0-9][0-9]* *[0-9] *[0-9][0-9]* *\([0-9][0-9]*\) *[0-9][0-9]* *$/\1/p' \
  $uid_tables 2>/dev/null | sort -u)
pattern=''
for u in $uids $socket_uids; do pattern="$pattern${pattern:+|}$u"; done
begin passwd ''
[ -n "$pattern" ] && [ -r /etc/passwd ] && grep -E "^[^:]*:[^:]*:($pattern):" /etc/passwd 2>/dev/null
finish

if [ -n "$watchdog" ]; then
  kill "$watchdog" 2>/dev/null
  wait "$watchdog" 2>/dev/null
fi
printf '\n%s end\n' "$M"
