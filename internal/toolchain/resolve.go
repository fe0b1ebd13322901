package toolchain

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/elixir-buildpacks/elixir-buildpacks/internal/hexbuilds"
	"github.com/elixir-buildpacks/elixir-buildpacks/internal/usererr"
	"github.com/elixir-buildpacks/elixir-buildpacks/internal/versions"
)

// ElixirDir is the index folder of the Elixir builds.
const ElixirDir = hexbuilds.ElixirBuildsPath

// SourceInstalled marks the OTP that erlang-runtime installed, as
// elixir-runtime sees it.
const SourceInstalled = "installed"

// nearestShown is how many versions an error offers instead.
const nearestShown = 6

// fixIndex is the advice for a version the index does not have.
const fixIndex = "ask for one of those, or point " + hexbuilds.BaseEnv + " at an index that has it"

// Choice is one build picked from the index.
type Choice struct {
	Version versions.Version
	Build   hexbuilds.Build
	RelPath string // the archive, relative to the index base
}

// Resolver picks builds from the index for a target.
type Resolver struct {
	Index  hexbuilds.Index
	Target Target
}

// From says where a request came from, for messages: "from .tool-versions",
// "the default", "installed".
func (r Request) From() string {
	switch r.Source {
	case SourceDefault, SourceInstalled:
		return r.Source
	}
	return "from " + r.Source
}

func from(r Request) string { return r.From() }

func parseElixir(req Request) (versions.Request, error) {
	parsed, err := versions.ParseElixir(req.Raw)
	if err != nil {
		return versions.Request{}, usererr.New("Unparsable Elixir version",
			fmt.Sprintf("%s asks for Elixir %q, which is not a version", req.Source, req.Raw),
			"write one such as 1.18, 1.18.4, 1.18.4-otp-27 or ~> 1.17")
	}
	return parsed, nil
}

func parseOTP(req Request) (versions.Version, error) {
	v, err := versions.ParseOTP(req.Raw)
	if err != nil {
		return versions.Version{}, usererr.New("Unparsable Erlang/OTP version",
			fmt.Sprintf("%s asks for Erlang/OTP %q, which is not a version", req.Source, req.Raw),
			"write one such as 27, 27.3, 27.3.4 or OTP-27.3.4")
	}
	return v, nil
}

func (r Resolver) where() string { return "the build index at " + r.Index.Display() }

func (r Resolver) elixirBuilds(ctx context.Context) ([]hexbuilds.ElixirBuild, error) {
	builds, err := r.Index.Builds(ctx, ElixirDir)
	if err != nil {
		return nil, err
	}
	return hexbuilds.ElixirReleases(builds), nil
}

func (r Resolver) otpBuilds(ctx context.Context) ([]hexbuilds.OTPBuild, error) {
	builds, err := r.Index.Builds(ctx, hexbuilds.OTPBuildsPath(r.Target.Arch, r.Target.OSDir))
	if err != nil && !errors.Is(err, hexbuilds.ErrNotFound) {
		return nil, err
	}
	otps := hexbuilds.OTPReleases(builds)
	if len(otps) == 0 {
		return nil, usererr.New("No Erlang/OTP builds for this target",
			fmt.Sprintf("%s has no Erlang/OTP builds for %s (%s)", r.where(), r.Target, r.Target.From),
			fmt.Sprintf("set %s to an OS folder the index has (ubuntu-22.04 or ubuntu-24.04), or point %s at an index with builds for %s",
				OSDirVar, hexbuilds.BaseEnv, r.Target.Arch))
	}
	return otps, nil
}

// OTP picks the Erlang/OTP build: the one asked for, or else the newest
// that the chosen Elixir supports and is built for. Both versions are
// checked together here, before anything is downloaded.
func (r Resolver) OTP(ctx context.Context, otpReq, elixirReq Request) (Choice, error) {
	elixir, err := parseElixir(elixirReq)
	if err != nil {
		return Choice{}, err
	}
	var want *versions.Version
	if otpReq.Raw != "" {
		v, err := parseOTP(otpReq)
		if err != nil {
			return Choice{}, err
		}
		// What the versions alone rule out fails before the index is read.
		if err := checkPair(elixirReq, elixir, otpReq, v.Major()); err != nil {
			return Choice{}, err
		}
		want = &v
	}
	// The Elixir list first: an index that lacks it is no index at all,
	// which must not read as a target it has no builds for.
	elixirs, err := r.elixirBuilds(ctx)
	if err != nil {
		return Choice{}, err
	}
	otps, err := r.otpBuilds(ctx)
	if err != nil {
		return Choice{}, err
	}
	available := hexbuilds.OTPVersions(otps)

	if want != nil {
		v, ok := versions.ResolveOTP(*want, available)
		if !ok {
			return Choice{}, usererr.New("Erlang/OTP version not available",
				fmt.Sprintf("%s has no Erlang/OTP %s for %s (%s); the nearest it has: %s",
					r.where(), otpReq.Raw, r.Target, from(otpReq), list(versions.Nearest(*want, available, nearestShown))),
				fixIndex)
		}
		if _, err := r.elixirFor(elixirReq, elixir, elixirs, otpReq, v); err != nil {
			return Choice{}, err
		}
		return r.otpChoice(otps, v), nil
	}

	// No OTP asked for: the newest that the chosen Elixir supports. A range
	// or partial Elixir tries its matches newest first.
	pool := elixirs
	if elixir.OTPMajor != 0 {
		pool = slices.DeleteFunc(slices.Clone(elixirs), func(b hexbuilds.ElixirBuild) bool { return b.OTPMajor != elixir.OTPMajor })
	}
	candidates := matching(elixir, hexbuilds.ElixirVersions(pool, 0))
	if len(candidates) == 0 && !elixirReq.Explicit() {
		// A lagging mirror: the default line is not there yet.
		return Choice{}, defaultElixirMissing(elixirReq.Raw,
			fmt.Sprintf("%s has no Elixir %s, the default; the newest it has: %s",
				r.where(), elixirReq.Raw, list(versions.Newest(hexbuilds.ElixirVersions(pool, 0), nearestShown))))
	}
	if len(candidates) == 0 {
		all := hexbuilds.ElixirVersions(pool, 0)
		return Choice{}, usererr.New("Elixir version not available",
			fmt.Sprintf("%s has no Elixir %s (%s); the nearest it has: %s",
				r.where(), elixirReq.Raw, from(elixirReq), list(nearestTo(elixir, all))),
			fixIndex)
	}
	for _, ev := range candidates {
		majors := hexbuilds.OTPMajors(pool, ev)
		lo, hi, known := versions.OTPRange(ev)
		var best *versions.Version
		for _, v := range available {
			m := v.Major()
			if v.Pre != "" || !slices.Contains(majors, m) || (known && (m < lo || m > hi)) {
				continue
			}
			if best == nil || versions.Compare(v, *best) > 0 {
				best = &v
			}
		}
		if best != nil {
			return r.otpChoice(otps, *best), nil
		}
	}
	ev := candidates[0]
	supports := ""
	if lo, hi, known := versions.OTPRange(ev); known {
		supports = fmt.Sprintf(" (OTP %d to %d)", lo, hi)
	}
	return Choice{}, usererr.New("No Erlang/OTP for this Elixir",
		fmt.Sprintf("%s has no Erlang/OTP build for %s that Elixir %s (%s) supports%s and is built for; it has Erlang/OTP %s",
			r.where(), r.Target, ev, from(elixirReq), supports, list(versions.Newest(available, nearestShown))),
		fmt.Sprintf("set %s and %s to a pair the index has", ErlangVersionVar, ElixirVersionVar))
}

// defaultElixirMissing is the user error of an index that lags behind the
// default Elixir def (cause says what it has instead).
func defaultElixirMissing(def, cause string) error {
	return usererr.New("Default Elixir not in the index", cause,
		fmt.Sprintf("set %s (or .tool-versions, or the elixir: requirement of mix.exs) to one of those, or point %s at an index that has Elixir %s",
			ElixirVersionVar, hexbuilds.BaseEnv, def))
}

func (r Resolver) otpChoice(otps []hexbuilds.OTPBuild, v versions.Version) Choice {
	b, _ := hexbuilds.FindOTP(otps, v)
	return Choice{Version: v, Build: b.Build, RelPath: hexbuilds.OTPArchivePath(r.Target.Arch, r.Target.OSDir, b.Name)}
}

// Elixir picks the Elixir build for the Erlang/OTP that is installed.
func (r Resolver) Elixir(ctx context.Context, req Request, otp versions.Version) (Choice, error) {
	parsed, err := parseElixir(req)
	if err != nil {
		return Choice{}, err
	}
	otpReq := Request{Raw: otp.String(), Source: SourceInstalled}
	if err := checkPair(req, parsed, otpReq, otp.Major()); err != nil {
		return Choice{}, err
	}
	elixirs, err := r.elixirBuilds(ctx)
	if err != nil {
		return Choice{}, err
	}
	b, err := r.elixirFor(req, parsed, elixirs, otpReq, otp)
	if err != nil {
		return Choice{}, err
	}
	return Choice{Version: b.Version, Build: b.Build, RelPath: hexbuilds.ElixirArchivePath(b.Name)}, nil
}

// elixirFor finds the Elixir build the request means for an OTP, or says
// why there is none: the pair does not go together, or the index lacks it.
func (r Resolver) elixirFor(req Request, elixir versions.Request, elixirs []hexbuilds.ElixirBuild, otpReq Request, otp versions.Version) (hexbuilds.ElixirBuild, error) {
	major := otp.Major()
	if err := checkPair(req, elixir, otpReq, major); err != nil {
		return hexbuilds.ElixirBuild{}, err
	}
	forOTP := hexbuilds.ElixirVersions(elixirs, major)
	if v, ok := versions.Resolve(elixir, forOTP); ok {
		if lo, hi, known := versions.OTPRange(v); known && !versions.Compatible(v, major) {
			return hexbuilds.ElixirBuild{}, incompatible(req, v.String(), otpReq, otp.String(), lo, hi)
		}
		b, _ := hexbuilds.FindElixir(elixirs, v, major)
		return b, nil
	}
	if v, ok := versions.Resolve(elixir, hexbuilds.ElixirVersions(elixirs, 0)); ok {
		if lo, hi, known := versions.OTPRange(v); known && !versions.Compatible(v, major) {
			return hexbuilds.ElixirBuild{}, incompatible(req, v.String(), otpReq, otp.String(), lo, hi)
		}
		// The pair could work, but the index built that Elixir only with
		// other OTP majors: name them.
		majors := hexbuilds.OTPMajors(elixirs, v)
		names := make([]string, len(majors))
		for i, m := range majors {
			names[i] = strconv.Itoa(m)
		}
		return hexbuilds.ElixirBuild{}, usererr.New("Elixir version not available",
			fmt.Sprintf("%s has Elixir %s only for Erlang/OTP %s, not for Erlang/OTP %d (%s); for OTP %d it has: %s",
				r.where(), v, strings.Join(names, ", "), major, from(otpReq), major, list(versions.Newest(forOTP, nearestShown))),
			fmt.Sprintf("ask for Erlang/OTP %d with Elixir %s, or for an Elixir the index has for OTP %d", majors[len(majors)-1], v, major))
	}
	if !req.Explicit() {
		return hexbuilds.ElixirBuild{}, defaultElixirMissing(req.Raw,
			fmt.Sprintf("%s has no Elixir %s, the default, built for Erlang/OTP %d; for OTP %d the newest it has: %s",
				r.where(), req.Raw, major, major, list(versions.Newest(forOTP, nearestShown))))
	}
	return hexbuilds.ElixirBuild{}, usererr.New("Elixir version not available",
		fmt.Sprintf("%s has no Elixir %s built for Erlang/OTP %d (%s); for OTP %d it has: %s",
			r.where(), req.Raw, major, from(req), major, list(nearestTo(elixir, forOTP))),
		fixIndex)
}

// checkPair fails for what the two versions alone rule out: an Elixir
// built for another OTP major (1.18.4-otp-27 with OTP 26), or one whose
// OTP range leaves the major out (1.14.0 with OTP 27).
func checkPair(elixirReq Request, elixir versions.Request, otpReq Request, major int) error {
	if elixir.OTPMajor != 0 && elixir.OTPMajor != major {
		return usererr.New("Incompatible Elixir and Erlang/OTP",
			fmt.Sprintf("Elixir %s (%s) is built for Erlang/OTP %d, not for Erlang/OTP %s (%s)",
				elixirReq.Raw, from(elixirReq), elixir.OTPMajor, otpReq.Raw, from(otpReq)),
			fmt.Sprintf("ask for Erlang/OTP %d, or for an Elixir built for OTP %d", elixir.OTPMajor, major))
	}
	if elixir.Exact == nil {
		return nil
	}
	if lo, hi, known := versions.RequestOTPRange(*elixir.Exact); known && (major < lo || major > hi) {
		return incompatible(elixirReq, elixir.Exact.String(), otpReq, otpReq.Raw, lo, hi)
	}
	return nil
}

func incompatible(elixirReq Request, elixir string, otpReq Request, otp string, lo, hi int) error {
	fix := fmt.Sprintf("use Erlang/OTP %d to %d with Elixir %s, or an Elixir that supports Erlang/OTP %s", lo, hi, elixir, otp)
	if !elixirReq.Explicit() {
		fix = fmt.Sprintf("set %s to an Elixir that supports Erlang/OTP %s, or use Erlang/OTP %d to %d", ElixirVersionVar, otp, lo, hi)
	}
	return usererr.New("Incompatible Elixir and Erlang/OTP",
		fmt.Sprintf("Elixir %s (%s) does not support Erlang/OTP %s (%s); it supports Erlang/OTP %d to %d",
			elixir, from(elixirReq), otp, from(otpReq), lo, hi),
		fix)
}

// matching lists the available versions a request allows, newest first.
func matching(req versions.Request, available []versions.Version) []versions.Version {
	var out []versions.Version
	seen := map[string]bool{}
	for _, v := range available {
		if _, ok := versions.Resolve(req, []versions.Version{v}); ok && !seen[v.String()] {
			seen[v.String()] = true
			out = append(out, v)
		}
	}
	slices.SortFunc(out, func(a, b versions.Version) int { return versions.Compare(b, a) })
	return out
}

func nearestTo(req versions.Request, available []versions.Version) []versions.Version {
	if req.Exact != nil {
		return versions.Nearest(*req.Exact, available, nearestShown)
	}
	return versions.Newest(available, nearestShown)
}

func list(vs []versions.Version) string {
	if len(vs) == 0 {
		return "none"
	}
	names := make([]string, len(vs))
	for i, v := range vs {
		names[i] = v.String()
	}
	return strings.Join(names, ", ")
}
