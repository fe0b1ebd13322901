package mix

// crashDumpScript runs before every process (CNB exec.d, output on fd 3).
// Erlang writes erl_crash.dump into the working directory unless
// ERL_CRASH_DUMP says where: that is the app folder, or the release's bin/
// where bin/server changes to, and the run user can write neither, so a
// node that crashes at boot would leave no dump at all. The default is the
// release's tmp (RELEASE_TMP, writable), read when the process starts so a
// RELEASE_TMP given at run time moves it too; an ERL_CRASH_DUMP given at
// run time is left alone.
const crashDumpScript = `#!/bin/sh
# Written by the elixir-buildpacks/mix-release buildpack.
[ -n "${ERL_CRASH_DUMP:-}" ] && exit 0
printf 'ERL_CRASH_DUMP = "%s/erl_crash.dump"\n' "${RELEASE_TMP:-/tmp}" >&3
`
