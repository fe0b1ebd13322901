// Package facts names what the runtime buildpacks decided, which later
// buildpacks of the same build read instead of deciding it again: one
// owner per fact. A runtime publishes a fact as a build environment
// variable of its layer; the lifecycle puts a layer's env.build into the
// process environment of every later buildpack, and libcnb writes it on
// every build, so a reused layer publishes it too.
package facts

import (
	"fmt"
	"os"

	"github.com/buildpacks/libcnb/v2"

	"github.com/elixir-buildpacks/elixir-buildpacks/internal/usererr"
	"github.com/elixir-buildpacks/elixir-buildpacks/internal/versions"
)

const (
	// OTPVersionVar is the full Erlang/OTP version erlang-runtime installed: 27.3.4.1.
	OTPVersionVar = "ELIXIR_BP_OTP_VERSION"
	// TargetVar is the target erlang-runtime installed for, as the index
	// names it: amd64/ubuntu-22.04.
	TargetVar = "ELIXIR_BP_TARGET"
	// ElixirVersionVar is the Elixir version elixir-runtime installed: 1.18.4.
	ElixirVersionVar = "ELIXIR_BP_ELIXIR_VERSION"
)

// Lookup reads one variable of the process environment.
type Lookup func(string) (string, bool)

// Erlang is what erlang-runtime published.
type Erlang struct {
	OTP    versions.Version
	Target string
}

// Toolchain is what both runtimes published.
type Toolchain struct {
	Erlang
	Elixir string
}

// Key names the toolchain in a cache key: it changes with any fact.
func (t Toolchain) Key() string {
	return "otp " + t.OTP.String() + " elixir " + t.Elixir + " target " + t.Target
}

// PublishErlang sets erlang-runtime's facts on its layer.
func PublishErlang(layer *libcnb.Layer, otp, target string) {
	layer.BuildEnvironment.Override(OTPVersionVar, otp)
	layer.BuildEnvironment.Override(TargetVar, target)
}

// PublishElixir sets elixir-runtime's fact on its layer.
func PublishElixir(layer *libcnb.Layer, elixir string) {
	layer.BuildEnvironment.Override(ElixirVersionVar, elixir)
}

// ReadErlang reads erlang-runtime's facts; env is os.LookupEnv when nil.
func ReadErlang(env Lookup) (Erlang, error) {
	raw, err := get(env, OTPVersionVar, "erlang-runtime")
	if err != nil {
		return Erlang{}, err
	}
	otp, err := versions.ParseOTP(raw)
	if err != nil {
		return Erlang{}, fmt.Errorf("%s=%q, as erlang-runtime published it: %w", OTPVersionVar, raw, err)
	}
	target, err := get(env, TargetVar, "erlang-runtime")
	if err != nil {
		return Erlang{}, err
	}
	return Erlang{OTP: otp, Target: target}, nil
}

// Read reads the facts of both runtimes; env is os.LookupEnv when nil.
func Read(env Lookup) (Toolchain, error) {
	erlang, err := ReadErlang(env)
	if err != nil {
		return Toolchain{}, err
	}
	elixir, err := get(env, ElixirVersionVar, "elixir-runtime")
	if err != nil {
		return Toolchain{}, err
	}
	return Toolchain{Erlang: erlang, Elixir: elixir}, nil
}

// get is one fact; its absence means the buildpack that owns it did not
// run earlier in this build, which only a builder's order can fix.
func get(env Lookup, name, owner string) (string, error) {
	if env == nil {
		env = os.LookupEnv
	}
	if v, ok := env(name); ok && v != "" {
		return v, nil
	}
	return "", usererr.New("Missing buildpack",
		fmt.Sprintf("%s, which the %s buildpack publishes, is not set: %s did not run before this buildpack", name, owner, owner),
		fmt.Sprintf("build with a builder that runs %s before it in the same group", owner))
}
