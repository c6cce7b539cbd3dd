# shellcheck shell=bash
# scripts/lib.sh — shared functions of the partnerdesk operational scripts. Source it; do not run it.
#
# After pd_init these globals are set (all absolute paths):
#   ROOT     the checkout (this file's parent's parent)
#   VAR      state dir: $PARTNERDESK_VAR, default $ROOT/var (exported back as PARTNERDESK_VAR)
#   PORT     nginx port on 127.0.0.1: $PARTNERDESK_PORT, default 8080
#   WORKERS  FastCGI worker processes: $PARTNERDESK_WORKERS, default 40
#   DIRECTORY_WORKERS  FastCGI workers of the public directory's own pool (/partners):
#            $PARTNERDESK_DIRECTORY_WORKERS, default one per core and one more (3 on 2 cores);
#            0 = no own pool (the main pool serves it)
#   BUILD    build dir: $PARTNERDESK_BUILD, default $ROOT/build
# Every path of an instance derives from VAR, so instances with different VAR/PORT run side by side.
# Processes are only ever signalled through the pid files in $VAR/run, after checking that the pid
# still belongs to this instance (never by name).

if [[ -n ${PD_LIB_LOADED:-} ]]; then return 0; fi
PD_LIB_LOADED=1

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd -P)
VAR=
PORT=
WORKERS=
DIRECTORY_WORKERS=
BUILD=
# nginx worker processes; the upstream keepalive size is derived from it (pd_keepalive).
PD_NGINX_WORKERS=2
# Stop order: front to back, the database last.
PD_SERVICES=(nginx app bench sim mailer mariadb)
PD_STOP_TIMEOUT=${PD_STOP_TIMEOUT:-15}

pd_log() { printf 'partnerdesk: %s\n' "$*" >&2; }
pd_warn() { printf 'partnerdesk: warning: %s\n' "$*" >&2; }
pd_die() {
	printf 'partnerdesk: error: %s\n' "$*" >&2
	exit 1
}

# pd_tail FILE [N]: shows the last N (default 20) lines of FILE on stderr, indented.
pd_tail() {
	local file=$1 n=${2:-20}
	[[ -r $file ]] || return 0
	printf '  --- last lines of %s ---\n' "$file" >&2
	tail -n "$n" -- "$file" | sed 's/^/  | /' >&2 || true
}

# pd_abs PATH: prints PATH made absolute (physical when it exists, else relative to $PWD).
pd_abs() {
	local p=$1
	if [[ -d $p ]]; then
		(cd -- "$p" && pwd -P)
	elif [[ $p == /* ]]; then
		printf '%s\n' "$p"
	else
		printf '%s\n' "$PWD/$p"
	fi
}

# pd_check_path NAME PATH: the generated nginx.conf and INI file hold these paths unquoted.
pd_check_path() {
	local re='^/[A-Za-z0-9_./@%+,:=~-]*$'
	[[ $2 =~ $re ]] ||
		pd_die "$1 path '$2' has characters (space, quote, \$, …) the generated configuration cannot hold; use a plain path"
}

# pd_init: sets ROOT/VAR/PORT/WORKERS/DIRECTORY_WORKERS/BUILD from the environment; exports
# PARTNERDESK_VAR.
pd_init() {
	VAR=$(pd_abs "${PARTNERDESK_VAR:-$ROOT/var}")
	PORT=${PARTNERDESK_PORT:-8080}
	# Enough workers that requests beyond the kept-alive ones find a free worker at 32
	# concurrent connections (bench/README.md); each costs about 1.5 MB of private memory.
	WORKERS=${PARTNERDESK_WORKERS:-40}
	# The directory (CPU and MariaDB only) has the shortest tail with 8 workers and no upstream
	# keepalive (bench/README.md, "Sizing").
	DIRECTORY_WORKERS=${PARTNERDESK_DIRECTORY_WORKERS:-$(($(nproc) + 1))}
	BUILD=$(pd_abs "${PARTNERDESK_BUILD:-$ROOT/build}")
	if ! [[ $PORT =~ ^[0-9]+$ ]] || ((PORT < 1 || PORT > 65535)); then
		pd_die "PARTNERDESK_PORT must be a TCP port number (1-65535), got '$PORT'"
	fi
	if ! [[ $WORKERS =~ ^[0-9]+$ ]] || ((WORKERS < 1 || WORKERS > 512)); then
		pd_die "PARTNERDESK_WORKERS must be a number of processes (1-512), got '$WORKERS'"
	fi
	if ! [[ $DIRECTORY_WORKERS =~ ^[0-9]{1,3}$ ]] || ((10#$DIRECTORY_WORKERS > 256)); then
		pd_die "PARTNERDESK_DIRECTORY_WORKERS must be a number of processes (1-256, or 0 for no own pool), got '$DIRECTORY_WORKERS'"
	fi
	DIRECTORY_WORKERS=$((10#$DIRECTORY_WORKERS))
	pd_check_path checkout "$ROOT"
	pd_check_path PARTNERDESK_BUILD "$BUILD"
	export PARTNERDESK_VAR=$VAR
}

# pd_init_var: after pd_init, creates the state dir layout (private to the user).
pd_init_var() {
	pd_check_path PARTNERDESK_VAR "$VAR"
	# sun_path holds 108 bytes including the NUL; directory.sock is the longest socket name.
	local sock="$VAR/run/directory.sock"
	((${#sock} <= 107)) ||
		pd_die "state dir path is too long for a unix socket ($sock: ${#sock} bytes, max 107); set PARTNERDESK_VAR to a shorter path"
	(umask 077 && mkdir -p -- "$VAR"/{run,log,mysql,mail,tmp,nginx,uploads}) ||
		pd_die "cannot create the state dir $VAR"
	VAR=$(cd -- "$VAR" && pwd -P)
	export PARTNERDESK_VAR=$VAR
}

# ----------------------------------------------------------------------------------------------
# Debian packages

PD_DEPS=(build-essential autoconf automake libtool pkg-config gettext libfcgi-dev libxml2-dev
	libmariadb-dev mariadb-server mariadb-plugin-mroonga mariadb-client libcurl4-openssl-dev libjansson-dev libsodium-dev
	libpwquality-dev cracklib-runtime libpng-dev libjpeg-dev zlib1g-dev libqrencode-dev libgif-dev
	nginx-light ca-certificates curl)
PD_TEST_DEPS=(clang libclang-rt-14-dev chromium postfix wrk libxml2-utils)

# pd_as_root CMD…: runs CMD as root (directly, or through sudo).
pd_as_root() {
	if ((EUID == 0)); then
		"$@"
	elif command -v sudo >/dev/null 2>&1; then
		sudo "$@"
	else
		pd_die "need root to run '$*': run as root or install sudo"
	fi
}

# pd_missing_pkgs PKG…: prints the packages that are not installed, one per line.
pd_missing_pkgs() {
	local p status
	for p in "$@"; do
		status=$(dpkg-query -W -f='${db:Status-Status}' "$p" 2>/dev/null || true)
		[[ $status == installed ]] || printf '%s\n' "$p"
	done
}

# pd_apt_install PKG…: installs the given packages that are missing (apt-get update first).
pd_apt_install() {
	command -v dpkg-query >/dev/null 2>&1 ||
		pd_die "dpkg-query not found: these scripts need Debian 12 (or install the packages by hand: $*)"
	local missing
	mapfile -t missing < <(pd_missing_pkgs "$@")
	((${#missing[@]} > 0)) || return 0
	if ((EUID != 0)) && ! command -v sudo >/dev/null 2>&1; then
		pd_die "missing Debian packages: ${missing[*]}; run as root or install sudo"
	fi
	pd_log "installing Debian packages: ${missing[*]}"
	if [[ " ${missing[*]} " == *" postfix "* ]]; then
		# Only smtp-sink is used: leave the system MTA unconfigured so nothing gets started.
		printf '%s\n' 'postfix postfix/main_mailer_type select No configuration' \
			'postfix postfix/mailname string localhost' | pd_as_root debconf-set-selections ||
			pd_warn "could not preseed postfix; continuing"
	fi
	pd_as_root apt-get update </dev/null >&2 || pd_die "apt-get update failed"
	# The system services of mariadb-server, nginx and postfix are not used (private datadir,
	# own port): a policy-rc.d keeps the packages from starting them, and a service that cannot
	# start (no init system) from failing the install. Only a policy file made here is removed.
	local policy=/usr/sbin/policy-rc.d marker='# partnerdesk: no service start during install' rc=0
	if [[ ! -e $policy ]]; then
		if ! printf '#!/bin/sh\n%s\nexit 101\n' "$marker" | pd_as_root tee "$policy" >/dev/null ||
			! pd_as_root chmod 755 "$policy"; then
			pd_warn "could not create $policy"
		fi
	fi
	pd_as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends \
		-o DPkg::Lock::Timeout=300 "${missing[@]}" </dev/null >&2 || rc=$?
	if [[ -f $policy && $(<"$policy") == *"$marker"* ]]; then pd_as_root rm -f "$policy"; fi
	((rc == 0)) || pd_die "apt-get install failed for: ${missing[*]}"
}

# pd_install_deps: the packages needed to build and run.
pd_install_deps() {
	pd_apt_install "${PD_DEPS[@]}"
}

# pd_install_test_deps: the extra packages for the test suites, and tests/browser/node_modules.
pd_install_test_deps() {
	local pkgs=("${PD_TEST_DEPS[@]}") browser="$ROOT/tests/browser" need_npm=0
	command -v node >/dev/null 2>&1 || pkgs+=(nodejs npm)
	# Installed when node_modules is missing or lacks a module package.json names (one added since).
	if [[ -f $browser/package.json ]] && ! (command -v node >/dev/null 2>&1 && cd -- "$browser" &&
		node -e 'const fs=require("fs"),d=require("./package.json").dependencies||{};
			process.exit(Object.keys(d).every(m=>fs.existsSync("node_modules/"+m+"/package.json"))?0:1)' 2>/dev/null); then
		need_npm=1
		command -v npm >/dev/null 2>&1 || pkgs+=(npm)
	fi
	pd_apt_install "${pkgs[@]}"
	if ((need_npm)); then
		pd_log "installing the browser test modules in tests/browser (npm install)"
		(cd -- "$browser" && PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm install --no-audit --no-fund </dev/null >&2) ||
			pd_die "npm install failed in $browser"
	fi
}

# ----------------------------------------------------------------------------------------------
# Build

# pd_build [BUILDDIR] [CONFIGURE ARGS…]: out-of-tree autotools build, incremental. Regenerates
# configure when configure.ac, a Makefile.am or m4/*.m4 changed, re-runs configure when the build
# dir has no Makefile, configure is newer, or the configure arguments changed; then make.
# Output goes to stderr; with PD_BUILD_QUIET=1 it is only shown when the build fails.
pd_build() {
	local dir=${1:-${BUILD:-$ROOT/build}}
	if (($# > 0)); then shift; fi
	if [[ ${PD_BUILD_QUIET:-0} == 1 ]]; then
		mkdir -p -- "$dir" || pd_die "cannot create the build dir $dir"
		local log="$dir/.pd-build.log"
		if ! (PD_BUILD_QUIET=0 pd_build "$dir" "$@") >"$log" 2>&1; then
			cat -- "$log" >&2
			exit 1
		fi
		return 0
	fi
	local f regen=0 reconf=0 args_file stamp
	if [[ ! -x $ROOT/configure ]]; then
		regen=1
	else
		for f in "$ROOT/configure.ac" "$ROOT/Makefile.am" "$ROOT"/*/Makefile.am "$ROOT"/m4/*.m4; do
			if [[ -e $f && $f -nt $ROOT/configure ]]; then regen=1; fi
		done
	fi
	if ((regen)); then
		pd_log "generating configure (autoreconf -fi)"
		(cd -- "$ROOT" && autoreconf -fi </dev/null >&2) || pd_die "autoreconf failed (see above)"
	fi
	mkdir -p -- "$dir" || pd_die "cannot create the build dir $dir"
	args_file="$dir/.pd-configure-args"
	stamp=$(printf '%q ' "$@")
	if [[ ! -f $dir/Makefile || ! -f $dir/config.status || $ROOT/configure -nt $dir/config.status ]]; then
		reconf=1
	elif [[ ! -f $args_file || $(<"$args_file") != "$stamp" ]]; then
		reconf=1
	fi
	if ((reconf)); then
		pd_log "configuring in $dir"
		(cd -- "$dir" && "$ROOT/configure" --quiet "$@" </dev/null >&2) ||
			pd_die "configure failed (see above, and $dir/config.log)"
		printf '%s' "$stamp" >"$args_file"
	fi
	pd_log "building in $dir"
	make -C "$dir" --no-print-directory -j"$(nproc 2>/dev/null || echo 2)" </dev/null >&2 ||
		pd_die "build failed (see above)"
}

# pd_bin NAME: prints the path of a built binary, or dies saying it is missing.
pd_bin() {
	local bin="$BUILD/src/$1"
	[[ -x $bin ]] || pd_die "$bin is missing: the build did not produce it"
	printf '%s\n' "$bin"
}

# ----------------------------------------------------------------------------------------------
# Configuration

# pd_sim_prepare: reads the simulator's credentials (SIM_CREDS: D&B key and secret, address
# client id and secret), made once per state dir in $VAR/sim-credentials (random; kept across
# restarts). Call before the first pd_write_ini: the simulator reads them from the ini.
pd_sim_prepare() {
	local f="$VAR/sim-credentials" i
	if [[ ! -s $f ]]; then
		(umask 077 && for i in 1 2 3 4; do od -An -tx1 -N16 /dev/urandom | tr -d ' \n'; echo; done >"$f") ||
			pd_die "cannot write $f"
	fi
	mapfile -t SIM_CREDS <"$f"
	((${#SIM_CREDS[@]} == 4)) || pd_die "$f is damaged: delete it and start again"
	SIM_PORT=
}

# pd_sim_start: starts the DUNS / address simulator with the fixtures of
# PARTNERDESK_SIM_COMPANIES / PARTNERDESK_SIM_ADDRESSES (default: src/sim/fixtures) on a free port
# the kernel picks (so no other instance or client socket can take it first); waits for it to
# write $VAR/sim.port and sets SIM_PORT. Call pd_write_ini again afterwards so that [dnb] and
# [address] base_url point at it.
pd_sim_start() {
	local bin companies addresses i
	bin=$(pd_bin partnerdesk-sim)
	companies=$(pd_abs "${PARTNERDESK_SIM_COMPANIES:-$ROOT/src/sim/fixtures/companies.tsv}")
	addresses=$(pd_abs "${PARTNERDESK_SIM_ADDRESSES:-$ROOT/src/sim/fixtures/addresses.tsv}")
	rm -f -- "$VAR/sim.port"
	pd_log "starting the DUNS / address simulator"
	pd_start_bg sim "$VAR/log/sim.log" "$bin" --port 0 --port-file "$VAR/sim.port" \
		--companies "$companies" --addresses "$addresses"
	printf '%s\n' "$PD_LAST_PID" >"$VAR/run/sim.pid"
	for ((i = 0; i < 100; i++)); do
		if [[ -s $VAR/sim.port ]]; then
			SIM_PORT=$(<"$VAR/sim.port")
			return 0
		fi
		if ! pd_proc_running "$PD_LAST_PID"; then break; fi
		sleep 0.1
	done
	pd_tail "$VAR/log/sim.log"
	pd_die "the simulator did not start (see $VAR/log/sim.log)"
}

# pd_write_ini: (re)generates $VAR/partnerdesk.ini, read by every binary before $PARTNERDESK_CONF.
# The remote services' base_url point at the simulator once SIM_PORT is known (pd_sim_start).
pd_write_ini() {
	local ini="$VAR/partnerdesk.ini" tmp dir_socket=''
	if ((DIRECTORY_WORKERS > 0)); then dir_socket=$VAR/run/directory.sock; fi
	tmp=$(mktemp "$VAR/.partnerdesk.ini.XXXXXX")
	cat >"$tmp" <<EOF
; Generated by scripts/lib.sh at each start; changes are lost. Put overrides in \$PARTNERDESK_CONF.
[app]
workers=$WORKERS
socket=$VAR/run/app.sock
${dir_socket:+directory_socket=$dir_socket}
${dir_socket:+directory_workers=$DIRECTORY_WORKERS}
pid_file=$VAR/run/app.pid
base_url=http://127.0.0.1:$PORT
templates=$ROOT/www/templates
agreements=$ROOT/www/agreements
locale_dir=$BUILD/po
state_dir=$VAR
[db]
socket=$VAR/run/mariadb.sock
name=partnerdesk
user=$(id -un)
[sql]
dir=$ROOT/sql
[data]
dir=$ROOT/data
[mail]
dir=$VAR/mail
[dnb]
${SIM_PORT:+base_url=http://127.0.0.1:$SIM_PORT}
key=${SIM_CREDS[0]}
secret=${SIM_CREDS[1]}
[address]
${SIM_PORT:+base_url=http://127.0.0.1:$SIM_PORT}
client_id=${SIM_CREDS[2]}
client_secret=${SIM_CREDS[3]}
${PD_DEMO_GA_DATE:+[migration]}
${PD_DEMO_GA_DATE:+ga_date=$PD_DEMO_GA_DATE}
EOF
	chmod 600 "$tmp"
	mv -f -- "$tmp" "$ini"
}

# ----------------------------------------------------------------------------------------------
# Processes

# pd_proc_running PID: true while PID exists and is not a zombie.
pd_proc_running() {
	local stat='' state
	{ read -r stat <"/proc/$1/stat"; } 2>/dev/null || return 1
	state=${stat##*) }
	state=${state%% *}
	[[ $state != Z && $state != X ]]
}

# pd_proc_ours PID: true when PID belongs to this instance: its command line names a path under
# $VAR, or it was started with PARTNERDESK_VAR=$VAR. Guards against recycled pids in stale files.
pd_proc_ours() {
	local cmdline env
	cmdline=$(tr '\0' ' ' 2>/dev/null <"/proc/$1/cmdline") || return 1
	[[ $cmdline == *"$VAR/"* ]] && return 0
	env=$(tr '\0' '\n' 2>/dev/null <"/proc/$1/environ") || return 1
	[[ $'\n'$env$'\n' == *$'\n'"PARTNERDESK_VAR=$VAR"$'\n'* ]]
}

# pd_read_pid NAME: prints the pid recorded in $VAR/run/NAME.pid (alive or not).
pd_read_pid() {
	local file="$VAR/run/$1.pid" pid=''
	[[ -f $file ]] || return 1
	read -r pid <"$file" 2>/dev/null || true
	[[ $pid =~ ^[1-9][0-9]{0,9}$ ]] || return 1
	printf '%s\n' "$pid"
}

# pd_pid_of NAME: prints the pid recorded in $VAR/run/NAME.pid if that process runs and belongs
# to this instance; otherwise removes the stale pid file and fails.
pd_pid_of() {
	local pid
	if pid=$(pd_read_pid "$1") && pd_proc_running "$pid" && pd_proc_ours "$pid"; then
		printf '%s\n' "$pid"
		return 0
	fi
	rm -f -- "$VAR/run/$1.pid"
	return 1
}

# pd_procs_where FIELD VALUE: prints the running pids whose /proc/PID/stat FIELD (4 = parent,
# 5 = process group) equals VALUE.
pd_procs_where() {
	local field=$1 value=$2 f stat rest pid
	local -a a
	for f in /proc/[0-9]*/stat; do
		{ read -r stat <"$f"; } 2>/dev/null || continue
		rest=${stat##*) }
		read -r -a a <<<"$rest"
		# a[0] is field 3 (state).
		[[ ${a[field - 3]} == "$value" && ${a[0]} != Z ]] || continue
		pid=${f#/proc/}
		printf '%s\n' "${pid%/stat}"
	done
}

# pd_children PID: prints the direct children of PID.
pd_children() { pd_procs_where 4 "$1"; }

# pd_group_leftovers PGID: prints the processes of this instance left in process group PGID.
# Every service is started as a session (and group) leader, so its workers share its pid as
# group id and can be found after the leader itself died.
pd_group_leftovers() {
	local pid
	for pid in $(pd_procs_where 5 "$1"); do
		if pd_proc_ours "$pid"; then printf '%s\n' "$pid"; fi
	done
}

# pd_running_services: prints "name pid" for each service of this instance that runs (or has
# leftover processes); removes stale pid files.
pd_running_services() {
	local name pid rest
	for name in "${PD_SERVICES[@]}"; do
		pid=$(pd_read_pid "$name") || continue
		if pd_proc_running "$pid" && pd_proc_ours "$pid"; then
			printf '%s %s\n' "$name" "$pid"
			continue
		fi
		rest=$(pd_group_leftovers "$pid" | tr '\n' ' ')
		if [[ -n $rest ]]; then
			printf '%s leftover pids %s\n' "$name" "${rest% }"
		else
			rm -f -- "$VAR/run/$name.pid"
		fi
	done
}

# pd_term_wait SECONDS PID…: SIGTERM, waits up to SECONDS for all to end, then SIGKILL.
# Returns 1 if SIGKILL was needed.
pd_term_wait() {
	local secs=$1 i p left
	shift
	kill -TERM "$@" 2>/dev/null || true
	for ((i = 0; i < secs * 10; i++)); do
		left=0
		for p in "$@"; do
			if pd_proc_running "$p"; then left=1; fi
		done
		((left)) || return 0
		sleep 0.1
	done
	kill -KILL "$@" 2>/dev/null || true
	for ((i = 0; i < 50; i++)); do
		left=0
		for p in "$@"; do
			if pd_proc_running "$p"; then left=1; fi
		done
		((left)) || break
		sleep 0.1
	done
	return 1
}

# pd_stop_one NAME: stops the process recorded in $VAR/run/NAME.pid (SIGTERM, SIGKILL with its
# children after PD_STOP_TIMEOUT s), then any process of this instance left in its process group.
# Prints what it stopped; fails if nothing ran.
pd_stop_one() {
	local name=$1 pid stopped=0
	local -a kids rest
	pid=$(pd_read_pid "$name") || {
		rm -f -- "$VAR/run/$name.pid"
		return 1
	}
	if pd_proc_running "$pid" && pd_proc_ours "$pid"; then
		mapfile -t kids < <(pd_children "$pid")
		if ! pd_term_wait "$PD_STOP_TIMEOUT" "$pid"; then
			pd_warn "$name (pid $pid) did not stop within ${PD_STOP_TIMEOUT}s: killed it"
			if ((${#kids[@]} > 0)); then kill -KILL "${kids[@]}" 2>/dev/null || true; fi
		fi
		pd_log "stopped $name (pid $pid)"
		stopped=1
	fi
	mapfile -t rest < <(pd_group_leftovers "$pid")
	if ((${#rest[@]} > 0)); then
		pd_term_wait 5 "${rest[@]}" || true
		pd_log "stopped ${#rest[@]} leftover process(es) of $name (${rest[*]})"
		stopped=1
	fi
	rm -f -- "$VAR/run/$name.pid"
	((stopped))
}

# pd_stop_all: stops every service of this instance recorded in $VAR/run, in the order nginx,
# app, bench, sim, mailer, mariadb. Prints what it stopped; fails if nothing was running.
pd_stop_all() {
	local name stopped=0
	[[ -d $VAR/run ]] || return 1
	for name in "${PD_SERVICES[@]}"; do
		if pd_stop_one "$name"; then stopped=$((stopped + 1)); fi
	done
	rm -f -- "$VAR/sim.port" # no simulator listens there any more
	((stopped > 0))
}

# pd_start_bg NAME LOG CMD…: starts CMD in its own session (so a terminal's Ctrl-C reaches only
# the script, which then stops everything in order), cwd $VAR, stdin /dev/null, output to LOG.
# Sets PD_LAST_PID.
pd_start_bg() {
	local log=$2
	shift 2
	(cd -- "$VAR" && exec setsid "$@") </dev/null >>"$log" 2>&1 &
	PD_LAST_PID=$!
}

# pd_port_free PORT: true when nothing accepts connections on 127.0.0.1:PORT.
pd_port_free() {
	! (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null
}

# pd_wait_socket NAME PID SOCKET SECONDS: waits until SOCKET exists while PID runs.
pd_wait_socket() {
	local name=$1 pid=$2 sock=$3 secs=$4 i log
	for ((i = 0; i < secs * 10; i++)); do
		[[ -S $sock ]] && return 0
		if ! pd_proc_running "$pid"; then
			log="$VAR/log/$name.log"
			pd_tail "$log"
			pd_die "$name exited during start-up (see $log)"
		fi
		sleep 0.1
	done
	pd_tail "$VAR/log/$name.log"
	pd_die "$name did not create $sock within ${secs}s (see $VAR/log/$name.log)"
}

# ----------------------------------------------------------------------------------------------
# MariaDB (private datadir, unix socket only, unix_socket authentication)

pd_mariadb_sock() { printf '%s\n' "$VAR/run/mariadb.sock"; }

# pd_mysql ARGS…: the mariadb client on this instance's socket, as the invoking unix user.
pd_mysql() {
	mariadb --no-defaults -S "$VAR/run/mariadb.sock" "$@"
}

# pd_mariadb_alive: true when this instance's server answers a ping.
pd_mariadb_alive() {
	mariadb-admin --no-defaults -S "$VAR/run/mariadb.sock" --connect-timeout=2 ping >/dev/null 2>&1
}

# pd_mariadb_start: creates the datadir the first time, starts mariadbd, waits for it (60 s) and
# creates the partnerdesk database. Does nothing when this instance's server already runs.
pd_mariadb_start() {
	local user i pid log="$VAR/log/mariadb.log"
	user=$(id -un)
	if pid=$(pd_pid_of mariadb); then
		pd_log "MariaDB already running (pid $pid)"
		return 0
	fi
	if [[ ! -d $VAR/mysql/mysql ]]; then
		pd_log "creating the MariaDB data directory $VAR/mysql"
		mariadb-install-db --no-defaults --datadir="$VAR/mysql" --auth-root-authentication-method=socket \
			--skip-test-db --user="$user" </dev/null >"$VAR/log/mariadb-install.log" 2>&1 || {
			pd_tail "$VAR/log/mariadb-install.log"
			pd_die "mariadb-install-db failed (see $VAR/log/mariadb-install.log)"
		}
	fi
	pd_log "starting MariaDB"
	rm -f -- "$VAR/run/mariadb.pid"
	# One connection per FastCGI worker (40 by default): the thread pool runs them on as many
	# threads as there are cores instead of 40 threads fighting for them (bench/README.md).
	# InnoDB's memory (PARTNERDESK_DB_MEMORY, default 1G: the directory's 100,000 profiles and
	# their indexes stay in memory) and a redo log a quarter of it.
	local memory=${PARTNERDESK_DB_MEMORY:-1G}
	[[ $memory =~ ^[1-9][0-9]{0,5}[MG]$ ]] || pd_die "PARTNERDESK_DB_MEMORY must be a size like 512M or 2G, got '$memory'"
	local mib=${memory%?}
	[[ $memory == *G ]] && mib=$((mib * 1024))
	((mib >= 64)) || pd_die "PARTNERDESK_DB_MEMORY must be at least 64M, got '$memory'"
	pd_start_bg mariadb "$log" mariadbd --no-defaults --datadir="$VAR/mysql" \
		--socket="$VAR/run/mariadb.sock" --pid-file="$VAR/run/mariadb.pid" --skip-networking \
		--log-error="$log" --user="$user" --innodb-buffer-pool-size="${mib}M" \
		--innodb-log-file-size="$((mib / 4 < 48 ? 48 : mib / 4))M" \
		--thread-handling=pool-of-threads --plugin-load-add=ha_mroonga
	pid=$PD_LAST_PID
	for ((i = 0; i < 600; i++)); do
		pd_mariadb_alive && break
		if ! pd_proc_running "$pid"; then
			pd_tail "$log"
			pd_die "MariaDB exited during start-up (see $log)"
		fi
		sleep 0.1
	done
	if ! pd_mariadb_alive; then
		pd_tail "$log"
		pd_die "MariaDB did not answer within 60s (see $log)"
	fi
	# mariadbd writes its own pid file once it is ready; make sure it is there.
	[[ -s $VAR/run/mariadb.pid ]] || printf '%s\n' "$pid" >"$VAR/run/mariadb.pid"
	pd_mysql -e 'CREATE DATABASE IF NOT EXISTS partnerdesk CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci' ||
		pd_die "cannot create the partnerdesk database (as MariaDB user '$user' over $VAR/run/mariadb.sock)"
}

# pd_migrate: applies the sql/ migrations (partnerdesk-ctl migrate).
pd_migrate() {
	local ctl
	ctl=$(pd_bin partnerdesk-ctl)
	pd_log "applying migrations"
	"$ctl" migrate </dev/null >&2 || pd_die "migrations failed (partnerdesk-ctl migrate, see above)"
}

# ----------------------------------------------------------------------------------------------
# nginx

# pd_keepalive: idle FastCGI connections each nginx worker keeps. Every idle kept connection pins
# one single-threaded FastCGI worker, and requests beyond the free workers wait in the socket
# backlog behind them, so only a few are kept: 2 per nginx worker (4 pinned) from 8 workers on,
# 1 from 4 workers, otherwise off. Measured in bench/README.md: keepalive 2 with 40 workers
# keeps p99 under 5 ms at 32 connections; keepalive (workers-2)/2 gave p99 of 50-500 ms.
# PARTNERDESK_KEEPALIVE overrides it (0 = off); bench/README.md has measurements.
pd_keepalive() {
	local k
	if [[ -n ${PARTNERDESK_KEEPALIVE:-} ]]; then
		k=$PARTNERDESK_KEEPALIVE
		if ! [[ $k =~ ^[0-9]+$ ]] || ((k > 1024)); then
			pd_die "PARTNERDESK_KEEPALIVE must be 0 (off) to 1024, got '$k'"
		fi
		((PD_NGINX_WORKERS * k < WORKERS)) ||
			pd_warn "PARTNERDESK_KEEPALIVE=$k: $PD_NGINX_WORKERS nginx workers x $k can pin all $WORKERS FastCGI workers"
		printf '%s\n' "$((10#$k))"
		return 0
	fi
	if ((WORKERS >= 8)); then
		k=2
	elif ((WORKERS >= 4)); then
		k=1
	else
		k=0
	fi
	printf '%s\n' "$k"
}

pd_sed_escape() { printf '%s' "$1" | sed 's/[&|\\]/\\&/g'; }

# pd_nginx_conf: generates $VAR/nginx.conf from www/nginx.conf.in and $VAR/fastcgi_params (the
# FastCGI settings it includes) from www/fastcgi_params.in. With PARTNERDESK_BENCH=1 the
# /_bench/bare location (bench/run) is kept; otherwise the marked blocks are removed. /partners
# goes to the directory's pool (no keepalive), or with PARTNERDESK_DIRECTORY_WORKERS=0 to the main
# one like every other page.
pd_nginx_conf() {
	local k ka kc bench_sed user_sed dir_sed dir_up dir_kc name
	for name in nginx.conf fastcgi_params; do
		[[ -r $ROOT/www/$name.in ]] || pd_die "$ROOT/www/$name.in is missing"
	done
	k=$(pd_keepalive)
	if ((k > 0)); then
		ka="keepalive $k;"
		kc=on
	else
		ka="# keepalive off (PARTNERDESK_KEEPALIVE=0, or too few FastCGI workers to spare one per nginx worker)"
		kc=off
	fi
	if [[ ${PARTNERDESK_BENCH:-0} == 1 ]]; then
		bench_sed='/@BENCH_BEGIN@/d;/@BENCH_END@/d'
	else
		bench_sed='/@BENCH_BEGIN@/,/@BENCH_END@/d'
	fi
	# The user directive only means something to a master started as root.
	if ((EUID == 0)); then user_sed=''; else user_sed='/^user /d'; fi
	if ((DIRECTORY_WORKERS > 0)); then
		dir_sed='/@DIRECTORY_BEGIN@/d;/@DIRECTORY_END@/d' dir_up=partnerdesk_directory dir_kc=off
	else
		dir_sed='/@DIRECTORY_BEGIN@/,/@DIRECTORY_END@/d' dir_up=partnerdesk dir_kc=$kc
	fi
	mkdir -p -- "$VAR/nginx"/{client_body,proxy,fastcgi,uwsgi,scgi}_temp "$VAR/nginx/logs"
	for name in nginx.conf fastcgi_params; do
		pd_nginx_subst "$ROOT/www/$name.in" "$VAR/$name" -e "$bench_sed" -e "$user_sed" -e "$dir_sed" \
			-e "s|@KEEPALIVE@|$(pd_sed_escape "$ka")|g" -e "s|@KEEP_CONN@|$kc|g" \
			-e "s|@DIRECTORY_UPSTREAM@|$dir_up|g" -e "s|@DIRECTORY_KEEP_CONN@|$dir_kc|g"
	done
}

# pd_nginx_subst TEMPLATE OUT SED-ARGS…: writes TEMPLATE to OUT through sed with SED-ARGS and the
# substitutions of the paths, ports and names every template may use.
pd_nginx_subst() {
	local tpl=$1 out=$2
	shift 2
	sed "$@" \
		-e "s|@PORT@|$PORT|g" \
		-e "s|@VAR@|$(pd_sed_escape "$VAR")|g" \
		-e "s|@ROOT@|$(pd_sed_escape "$ROOT")|g" \
		-e "s|@APP_SOCKET@|$(pd_sed_escape "$VAR/run/app.sock")|g" \
		-e "s|@DIRECTORY_SOCKET@|$(pd_sed_escape "$VAR/run/directory.sock")|g" \
		-e "s|@BENCH_SOCKET@|$(pd_sed_escape "$VAR/run/bench.sock")|g" \
		-e "s|@NGINX_WORKERS@|$PD_NGINX_WORKERS|g" \
		-e "s|@USER@|$(pd_sed_escape "$(id -un)")|g" \
		-e "s|@GROUP@|$(pd_sed_escape "$(id -gn)")|g" \
		"$tpl" >"$out.tmp" || pd_die "cannot write $out"
	mv -f -- "$out.tmp" "$out"
}

# pd_nginx_args: the command-line options shared by start and test.
pd_nginx_args() {
	printf '%s\n' -p "$VAR/nginx" -c "$VAR/nginx.conf" -e "$VAR/log/nginx-error.log"
}

# pd_nginx_start: generates the configuration, checks it (nginx -t) and starts nginx, which
# daemonizes and writes $VAR/run/nginx.pid.
pd_nginx_start() {
	local args out i pid
	mapfile -t args < <(pd_nginx_args)
	if pid=$(pd_pid_of nginx); then
		pd_log "nginx already running (pid $pid)"
		return 0
	fi
	pd_nginx_conf
	out=$(nginx -t -q "${args[@]}" 2>&1) || {
		printf '%s\n' "$out" | sed 's/^/  | /' >&2
		pd_die "nginx rejected $VAR/nginx.conf (generated from www/nginx.conf.in)"
	}
	pd_log "starting nginx on 127.0.0.1:$PORT"
	nginx "${args[@]}" </dev/null >>"$VAR/log/nginx-error.log" 2>&1 || {
		pd_tail "$VAR/log/nginx-error.log"
		pd_die "nginx failed to start (see $VAR/log/nginx-error.log)"
	}
	for ((i = 0; i < 50; i++)); do
		pd_pid_of nginx >/dev/null && return 0
		sleep 0.1
	done
	pd_tail "$VAR/log/nginx-error.log"
	pd_die "nginx did not write $VAR/run/nginx.pid (see $VAR/log/nginx-error.log)"
}

# ----------------------------------------------------------------------------------------------
# Application processes

# pd_app_start: starts the FastCGI master (stderr to app.log); waits for its sockets (app.sock, and
# directory.sock unless PARTNERDESK_DIRECTORY_WORKERS=0) and pid file.
# Sets PD_APP_PID.
pd_app_start() {
	local bin i
	bin=$(pd_bin partnerdesk)
	rm -f -- "$VAR/run/app.sock" "$VAR/run/directory.sock" "$VAR/run/app.pid"
	if ((DIRECTORY_WORKERS > 0)); then
		pd_log "starting the FastCGI master ($WORKERS workers, $DIRECTORY_WORKERS for the directory)"
	else
		pd_log "starting the FastCGI master ($WORKERS workers, the directory's among them)"
	fi
	pd_start_bg app "$VAR/log/app.log" "$bin"
	PD_APP_PID=$PD_LAST_PID
	pd_wait_socket app "$PD_APP_PID" "$VAR/run/app.sock" 30
	if ((DIRECTORY_WORKERS > 0)); then
		pd_wait_socket app "$PD_APP_PID" "$VAR/run/directory.sock" 30
	fi
	for ((i = 0; i < 50; i++)); do
		[[ -s $VAR/run/app.pid ]] && break
		sleep 0.1
	done
	if [[ ! -s $VAR/run/app.pid ]]; then
		pd_warn "the app wrote no $VAR/run/app.pid; recording pid $PD_APP_PID"
		printf '%s\n' "$PD_APP_PID" >"$VAR/run/app.pid"
	fi
}

# pd_mailer_start: starts the outbox mailer (foreground loop) and records its pid.
pd_mailer_start() {
	local bin
	bin=$(pd_bin partnerdesk-mailer)
	pd_log "starting the mailer"
	pd_start_bg mailer "$VAR/log/mailer.log" "$bin"
	printf '%s\n' "$PD_LAST_PID" >"$VAR/run/mailer.pid"
	sleep 0.2
	if ! pd_proc_running "$PD_LAST_PID"; then
		pd_tail "$VAR/log/mailer.log"
		pd_die "the mailer exited during start-up (see $VAR/log/mailer.log)"
	fi
}

# pd_wait_healthz [SECONDS=30]: waits until GET /healthz answers 200 through nginx.
pd_wait_healthz() {
	local secs=${1:-30} url="http://127.0.0.1:$PORT/healthz" code='' i
	for ((i = 0; i < secs * 5; i++)); do
		code=$(curl -s -o /dev/null -w '%{http_code}' --max-time 2 "$url" 2>/dev/null) || code=
		[[ $code == 200 ]] && return 0
		sleep 0.2
	done
	pd_tail "$VAR/log/app.log"
	pd_tail "$VAR/log/nginx-error.log" 10
	pd_die "$url did not answer 200 within ${secs}s (last status: ${code:-none}); logs in $VAR/log"
}
