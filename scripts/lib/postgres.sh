# Debian's PostgreSQL server binaries, for the Phoenix cases with Ecto: each
# case runs a cluster of its own on 127.0.0.1 and stops it (see
# integration/phoenix18_test.go). The package's own service is not started
# at install (policy-rc.d says no while apt runs) and never used.
# Sourced after common.sh.
ensure_postgres() {
  compgen -G '/usr/lib/postgresql/*/bin/initdb' >/dev/null && return 0
  without_service_start apt_install postgresql || die "installing Debian's postgresql failed"
  compgen -G '/usr/lib/postgresql/*/bin/initdb' >/dev/null || die "installing postgresql gave no /usr/lib/postgresql/*/bin/initdb"
}
