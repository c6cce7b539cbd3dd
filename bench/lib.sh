# shellcheck shell=bash
# What bench/run and bench/lookup share. Source after scripts/lib.sh and pd_init.

# bench_user BASE JAR: signs up a US company through the forms of the instance at BASE (mail files
# in $VAR/mail), verifies its email, enrolls it in the partner program and chooses its location
# in the CSP wizard (a draft at step 2). The session stays in the curl cookie jar JAR; prints
# "pd_session=TOKEN" and the email, separated by a space.
bench_user() {
	local base=$1 jar=$2 domain email token code link mail location page
	page=$(mktemp)
	# bench_csrf PATH: the csrf token of the page at PATH.
	bench_csrf() {
		curl -s -b "$jar" -c "$jar" --max-time 10 "$base$1" |
			sed -n 's/.*name="csrf" value="\([^"]*\)".*/\1/p' | head -n 1
	}
	# bench_post PATH ARGS…: a form POST with the session; prints the status.
	bench_post() {
		local path=$1
		shift
		curl -s -o "$page" -w '%{http_code}' -b "$jar" -c "$jar" --max-time 10 "$@" "$base$path"
	}
	domain="bench$(date +%s)$$$RANDOM.example"
	email="bench.admin@$domain"
	token=$(bench_csrf /signup)
	code=$(bench_post /signup --data-urlencode "csrf=$token" --data-urlencode "email=$email" \
		--data-urlencode "password=quiet heron sails at dusk 2026" --data-urlencode "display_name=Bench Admin" \
		--data-urlencode "company_name=Bench Company" --data-urlencode "country=US")
	[[ $code == 303 ]] || pd_die "sign-up answered $code"
	link=
	for _ in $(seq 100); do
		mail=$(grep -l -F "To: $email" "$VAR"/mail/*.eml 2>/dev/null | head -n 1 || true)
		if [[ -n $mail ]]; then
			link=$(grep -o 'http://[^ ]*/verify-email?token=[A-Za-z0-9_-]*' "$mail" | head -n 1)
			break
		fi
		sleep 0.1
	done
	[[ -n $link ]] || pd_die "no verification mail for $email"
	curl -s -o /dev/null -b "$jar" -c "$jar" --max-time 10 "$link"
	token=$(bench_csrf /enroll)
	code=$(bench_post /enroll --data-urlencode "csrf=$token" --data-urlencode "legal_name=Bench Company" \
		--data-urlencode "country=US" --data-urlencode "address_line1=1 Bench Way" \
		--data-urlencode "city=Seattle" --data-urlencode "region=WA" --data-urlencode "postal_code=98101" \
		--data-urlencode "phone=+1 206 555 0100" --data-urlencode "website=https://bench.example" \
		--data-urlencode "contact_name=Bench Admin" --data-urlencode "contact_email=$email")
	[[ $code == 303 ]] || pd_die "enrollment answered $code"
	curl -s -o "$page" -b "$jar" -c "$jar" --max-time 10 "$base/csp/enroll"
	token=$(sed -n 's/.*name="csrf" value="\([^"]*\)".*/\1/p' "$page" | head -n 1)
	location=$(sed -n 's/.*name="partner_id"[^>]*value="\([0-9]*\)".*/\1/p' "$page" | head -n 1)
	code=$(bench_post /csp/enroll/location --data-urlencode "csrf=$token" --data-urlencode "partner_id=$location")
	[[ $code == 303 ]] || pd_die "the CSP location step answered $code"
	rm -f -- "$page"
	printf '%s %s\n' "$(awk '$6 == "pd_session" { print "pd_session=" $7 }' "$jar")" "$email"
}

# bench_wrk_parse OUT: prints "req/s p50_ms p99_ms requests non2xx socket_errors" of a wrk
# --latency output.
bench_wrk_parse() {
	awk '
	function ms(v) {
		if (v ~ /us$/) return v / 1000
		if (v ~ /ms$/) return v + 0
		if (v ~ /m$/) return v * 60000
		if (v ~ /s$/) return v * 1000
		return v + 0
	}
	/Requests\/sec:/ { rps = $2 }
	$1 == "50%" { p50 = ms($2) }
	$1 == "99%" { p99 = ms($2) }
	/ requests in / { total = $1 }
	/Non-2xx or 3xx responses:/ { non = $NF }
	/Socket errors:/ { sub(/^ *Socket errors: */, ""); gsub(/ /, ""); err = $0 }
	END { printf "%s %.3f %.3f %s %s %s\n", rps + 0, p50, p99, total + 0, non + 0, (err == "" ? "none" : err) }
	' "$1"
}

# bench_responder_start: builds bench/responder.c into the state dir and starts it on
# $VAR/run/bench.sock with $WORKERS workers (the /_bench/bare location of PARTNERDESK_BENCH=1).
bench_responder_start() {
	pd_log "building and starting bench/responder.c ($WORKERS workers)"
	cc -O2 -o "$VAR/bench-responder" "$ROOT/bench/responder.c" -lfcgi ||
		pd_die "cannot build bench/responder.c (needs libfcgi-dev)"
	pd_start_bg bench "$VAR/log/bench.log" "$VAR/bench-responder" "$VAR/run/bench.sock" "$WORKERS" "$VAR/run/bench.pid"
	pd_wait_socket bench "$PD_LAST_PID" "$VAR/run/bench.sock" 10
}

# bench_php_start: starts php-fpm (Debian's php-fpm, installed when missing) with one static pool
# of $WORKERS children on $VAR/run/php.sock for the twins in bench/php/, and adds their locations
# (/_bench/php/PAGE, same upstream keepalive as the app) to the generated $VAR/nginx.conf, then
# reloads nginx. The twins read the CSRF key and the country list the app uses.
bench_php_start() {
	local fpm key ka kc conf="$VAR/nginx.conf" found
	found=(/usr/sbin/php-fpm*)
	if [[ ! -x ${found[0]} ]] || ! php -m 2>/dev/null | grep -qi '^pdo_mysql$'; then
		pd_apt_install php-fpm php-mysql
		found=(/usr/sbin/php-fpm*)
	fi
	fpm=${found[0]}
	[[ -x $fpm ]] || pd_die "php-fpm is not installed (Debian packages php-fpm, php-mysql)"
	mkdir -p -- "$VAR/php"
	key=$(mariadb -S "$VAR/run/mariadb.sock" -u root -N -B partnerdesk \
		-e "SELECT HEX(value) FROM app_secrets WHERE name='csrf_hmac'") || pd_die "cannot read the CSRF key"
	curl -s --max-time 10 "http://127.0.0.1:$PORT/signup" | php "$ROOT/bench/php/countries.php" \
		>"$VAR/php/countries.php" || pd_die "cannot read the country list from /signup"
	cat >"$VAR/php/php-fpm.conf" <<-EOF
		[global]
		pid = $VAR/run/php-fpm.pid
		error_log = $VAR/log/php-fpm.log
		daemonize = no
		[bench]
		listen = $VAR/run/php.sock
		listen.backlog = 511
		pm = static
		pm.max_children = $WORKERS
		pm.max_requests = 0
		clear_env = yes
		env[PD_DB_SOCKET] = $VAR/run/mariadb.sock
		env[PD_CSRF_KEY] = $key
		env[PD_COUNTRIES] = $VAR/php/countries.php
		php_admin_value[expose_php] = 0
		php_admin_value[error_log] = $VAR/log/php-fpm.log
		php_admin_flag[log_errors] = on
		php_admin_value[opcache.enable] = 1
		php_admin_value[opcache.validate_timestamps] = 0
	EOF
	local root_flag=()
	((EUID != 0)) || root_flag=(-R)
	pd_start_bg php-fpm "$VAR/log/php-fpm.log" "$fpm" -y "$VAR/php/php-fpm.conf" "${root_flag[@]}"
	BENCH_PHP_PID=$PD_LAST_PID
	pd_wait_socket php-fpm "$BENCH_PHP_PID" "$VAR/run/php.sock" 10
	ka=$(pd_keepalive)
	if ((ka > 0)); then kc=on ka="keepalive $ka;"; else kc=off ka=""; fi
	awk -v sock="$VAR/run/php.sock" -v root="$ROOT" -v ka="$ka" -v kc="$kc" '
	/^    server \{/ && !up {
		print "    upstream bench_php {\n        server unix:" sock ";\n        " ka "\n    }\n"
		up = 1
	}
	/^        location \/ \{/ && !loc {
		n = split("dashboard=dashboard account/identifiers=identifiers account/legal=legal csp/enroll=csp_enroll", pages, " ")
		for (i = 1; i <= n; i++) {
			split(pages[i], kv, "=")
			print "        location = /_bench/php/" kv[1] " {"
			print "            fastcgi_pass bench_php;"
			print "            fastcgi_keep_conn " kc ";"
			print "            fastcgi_param SCRIPT_FILENAME " root "/bench/php/" kv[2] ".php;"
			print "            fastcgi_param QUERY_STRING $query_string;"
			print "            fastcgi_param REQUEST_METHOD $request_method;"
			print "            fastcgi_param REQUEST_URI $request_uri;"
			print "            fastcgi_param HTTP_COOKIE $http_cookie;"
			print "            fastcgi_param REMOTE_ADDR $remote_addr;"
			print "            fastcgi_param SERVER_PROTOCOL $server_protocol;"
			print "        }"
		}
		loc = 1
	}
	{ print }' "$conf" >"$conf.php" || pd_die "cannot add the PHP twins to $conf"
	mv -f -- "$conf.php" "$conf"
	local args
	mapfile -t args < <(pd_nginx_args)
	nginx "${args[@]}" -t >/dev/null 2>&1 || pd_die "nginx refuses $conf with the PHP twins"
	nginx "${args[@]}" -s reload || pd_die "nginx did not reload"
	for _ in $(seq 50); do
		[[ $(curl -s -o /dev/null -w '%{http_code}' --max-time 5 "http://127.0.0.1:$PORT/_bench/php/dashboard") == 303 ]] &&
			return 0
		sleep 0.1
	done
	pd_die "the PHP twins do not answer (see $VAR/log/php-fpm.log)"
}

# bench_php_stop: stops the php-fpm started by bench_php_start.
bench_php_stop() {
	[[ -n ${BENCH_PHP_PID:-} ]] || return 0
	kill -TERM "$BENCH_PHP_PID" 2>/dev/null || true
	for _ in $(seq 50); do
		kill -0 "$BENCH_PHP_PID" 2>/dev/null || break
		sleep 0.1
	done
	BENCH_PHP_PID=
}
