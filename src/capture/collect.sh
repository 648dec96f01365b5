# fleetstat collection script. POSIX sh: runs under dash, bash and busybox sh with busybox applets only.
# Read-only: it reads /proc and /etc/passwd, writes nothing but its standard output, and starts no daemon.
#
# The caller sends `M=<random hex>` as the first line on stdin, then this file, to `sh -s`. The marker
# never appears in argv (where another user could read it) and nothing from the inventory is ever put
# in here. Output is a series of sections:
#     \n<M> <name> <arg>\n<raw bytes of one file>\n<M> rc <status>
# and finally `\n<M> end\n`, whose absence means the capture is truncated.
# Every section starts with the newline that closes the previous one, so section bytes are exact.

LC_ALL=C
export LC_ALL
# Appended, not prepended: a PATH of busybox applets (or whatever the host set up) keeps precedence.
PATH=$PATH:/usr/sbin:/usr/bin:/sbin:/bin

case ${M:-} in
  ????????????????????????????????*) ;;
  *) echo "fleetstat: no run marker given" >&2; exit 97 ;;
esac

# emit NAME ARG FILE: one section with the file's raw bytes.
emit() {
  printf '\n%s %s %s\n' "$M" "$1" "$2"
  if [ -e "$3" ]; then
    if cat "$3" 2>/dev/null; then s=ok; else s=error; fi
  else
    s=absent
  fi
  printf '\n%s rc %s' "$M" "$s"
}

# begin NAME ARG / finish: a section whose bytes a command writes.
begin() { printf '\n%s %s %s\n' "$M" "$1" "$2"; }
finish() { printf '\n%s rc ok' "$M"; }

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
# Our own pid: the sockets of the collection's own stdio are not the host's to report.
begin meta.self ''
printf '%s' "$$"
finish

# --- network namespaces -----------------------------------------------------------------------
# Our own namespace is read through /proc/self/net; every other one through the first pid found in it.
own_ns=$(ls -l /proc/self/ns/net 2>/dev/null)
own_ns=${own_ns##*net:\[}
own_ns=${own_ns%\]}
begin meta.netns "$own_ns"
finish

# `ip netns` names are bind mounts of the namespace files: their inodes are the namespace ids.
begin netns.names ''
ls -1iL /run/netns 2>/dev/null
finish

# One `ls -l` for all processes: `... /proc/123/ns/net -> net:[4026531840]`.
seen=" $own_ns "
readers=''
nslinks=$(ls -l /proc/[0-9]*/ns/net 2>/dev/null)
old_ifs=$IFS
# split on newlines only, and no pathname expansion of what ls printed (a `?` or `*` in it is data)
set -f
IFS='
'
for line in $nslinks; do
  case $line in
    *' -> net:['*']')
      ns=${line##*net:\[}
      ns=${ns%\]}
      case $seen in
        *" $ns "*) ;;
        *)
          pid=${line#*/proc/}
          pid=${pid%%/*}
          seen="$seen$ns "
          readers="$readers $pid:$ns"
          ;;
      esac
      ;;
  esac
done
IFS=$old_ifs
set +f

tables='tcp tcp6 udp udp6 raw raw6 unix'
for t in $tables; do
  emit "net.$t" "$own_ns" "/proc/self/net/$t"
done
for r in $readers; do
  pid=${r%%:*}
  ns=${r#*:}
  begin netns.reader "$ns"
  printf '%s' "$pid"
  finish
  for t in $tables; do
    emit "net.$t" "$ns" "/proc/$pid/net/$t"
  done
done

# --- which process holds which socket ------------------------------------------------------------
# One `ls -ln` over every fd directory; keep the directory headers, socket links (and the legacy
# `[0000]:N` form), and link lines with no target: those are links we were not allowed to read.
# -q: a link target is a file name, which may hold a newline and so forge a header line; GNU ls -q
# prints it as '?'. busybox ls has no -q but always prints '?' for unprintable characters.
lsq=-lnq
ls -q / >/dev/null 2>&1 || lsq=-ln
fdlinks=$(ls $lsq /proc/[0-9]*/fd/ 2>/dev/null | grep -e '^/proc/' -e ' -> socket:\[' -e ' -> \[0000\]:' -e '^l[^>]*$')
begin fdlinks ''
printf '%s\n' "$fdlinks"
finish

# fd directories we cannot list at all (another user's processes, when not root).
begin fd.unreadable ''
for d in /proc/[0-9]*; do
  [ -d "$d/fd" ] || continue
  [ -r "$d/fd" ] && [ -x "$d/fd" ] || printf '%s\n' "${d#/proc/}"
done
finish

# Pids that hold at least one socket: comm, status (for the uid) and cmdline of each, nothing else.
pids=''
set -f
IFS='
'
cur=''
for line in $fdlinks; do
  case $line in
    /proc/*/fd:|/proc/*/fd/:) cur=${line#/proc/}; cur=${cur%%/*} ;;
    *' -> socket:['*|*' -> [0000]:'*)
      case " $pids " in
        *" $cur "*) ;;
        *) [ -n "$cur" ] && pids="$pids $cur" ;;
      esac
      ;;
  esac
done
IFS=$old_ifs
set +f

uids=' '
for pid in $pids; do
  emit proc.comm "$pid" "/proc/$pid/comm"
  emit proc.cmdline "$pid" "/proc/$pid/cmdline"
  begin proc.uid "$pid"
  while read -r key real eff rest; do
    if [ "$key" = "Uid:" ]; then
      printf '%s' "$eff"
      case $uids in *" $eff "*) ;; *) uids="$uids$eff " ;; esac
      break
    fi
  done 2>/dev/null < "/proc/$pid/status"
  finish
done

# passwd lines of those uids only.
begin passwd ''
if [ -r /etc/passwd ]; then
  while IFS= read -r line; do
    rest=${line#*:*:}
    uid=${rest%%:*}
    case $uids in *" $uid "*) printf '%s\n' "$line" ;; esac
  done < /etc/passwd
fi
finish

printf '\n%s end\n' "$M"
