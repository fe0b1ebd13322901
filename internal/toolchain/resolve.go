package toolchain

import (
	"context"
	"fmt"
	"sort"
	"strings"

	"github.com/elixir-buildpacks/elixir-buildpacks/internal/hexbuilds"
	"github.com/elixir-buildpacks/elixir-buildpacks/internal/usererr"
	"github.com/elixir-buildpacks/elixir-buildpacks/internal/versions"
)

// ElixirDir is the index folder of the Elixir builds.
const ElixirDir = "builds/elixir"

// Choice is one build picked from the index.
type Choice struct {
	Version versions.Version
	Build   hexbuilds.Build
	RelPath string // the archive, relative to the index base
}

// Resolver picks builds from the index for a target.
type Resolver struct {
	Index  hexbuilds.Client
	Target Target
}

func (r Resolver) elixirBuilds(ctx context.Context) ([]hexbuilds.ElixirBuild, error) {
	builds, err := r.Index.Builds(ctx, ElixirDir)
	if err != nil {
		return nil, err
	}
	return hexbuilds.ElixirReleases(builds), nil
}

func (r Resolver) otpBuilds(ctx context.Context) ([]hexbuilds.OTPBuild, error) {
	builds, err := r.Index.Builds(ctx, hexbuilds.OTPBuildsPath(r.Target.Arch, r.Target.OSDir))
	if err != nil {
		return nil, err
	}
	return hexbuilds.OTPReleases(builds), nil
}

func parseElixir(req Request) (versions.Request, error) {
	parsed, err := versions.ParseElixir(req.Raw)
	if err != nil {
		return versions.Request{}, usererr.New("Unparsable Elixir version", fmt.Sprintf("%s (from %s)", err, req.Source), "")
	}
	return parsed, nil
}

// Elixir picks the Elixir build for the installed OTP major.
func (r Resolver) Elixir(ctx context.Context, req Request, otpMajor int) (Choice, error) {
	parsed, err := parseElixir(req)
	if err != nil {
		return Choice{}, err
	}
	if parsed.OTPMajor != 0 && parsed.OTPMajor != otpMajor {
		return Choice{}, usererr.New("Incompatible Elixir and Erlang/OTP",
			fmt.Sprintf("Elixir %s (from %s) is built for OTP %d, but Erlang/OTP %d is installed", req.Raw, req.Source, parsed.OTPMajor, otpMajor),
			fmt.Sprintf("ask for Erlang/OTP %d (BP_ERLANG_VERSION or .tool-versions) or drop the -otp suffix", parsed.OTPMajor))
	}
	all, err := r.elixirBuilds(ctx)
	if err != nil {
		return Choice{}, err
	}
	var forOTP []hexbuilds.ElixirBuild
	var available []versions.Version
	for _, b := range all {
		if b.OTPMajor == otpMajor {
			forOTP = append(forOTP, b)
			available = append(available, b.Version)
		}
	}
	v, ok := versions.Resolve(parsed, available)
	if !ok {
		return Choice{}, usererr.New("Elixir version not available",
			fmt.Sprintf("the index at %s has no Elixir %s built for OTP %d (asked for in %s); it has %s",
				r.Index.Base, req.Raw, otpMajor, req.Source, list(available)),
			"ask for one of those versions, or point HEX_BUILDS_URL at an index that has it")
	}
	if lo, hi, known := versions.OTPRange(v); known && !versions.Compatible(v, otpMajor) {
		return Choice{}, usererr.New("Incompatible Elixir and Erlang/OTP",
			fmt.Sprintf("Elixir %s does not support Erlang/OTP %d", v, otpMajor),
			fmt.Sprintf("use Erlang/OTP %d to %d with Elixir %s", lo, hi, v))
	}
	for _, b := range forOTP {
		if versions.Compare(b.Version, v) == 0 {
			return Choice{Version: v, Build: b.Build, RelPath: ElixirDir + "/" + b.Name + ".zip"}, nil
		}
	}
	return Choice{}, fmt.Errorf("resolved Elixir %s has no build", v)
}

// OTP picks the Erlang/OTP build: the requested one, or else the newest the
// chosen Elixir supports that has an Elixir build for it.
func (r Resolver) OTP(ctx context.Context, otpReq, elixirReq Request) (Choice, error) {
	otps, err := r.otpBuilds(ctx)
	if err != nil {
		return Choice{}, err
	}
	available := make([]versions.Version, 0, len(otps))
	for _, b := range otps {
		available = append(available, b.Version)
	}
	pick := func(v versions.Version) Choice {
		for _, b := range otps {
			if versions.Compare(b.Version, v) == 0 {
				return Choice{Version: v, Build: b.Build, RelPath: hexbuilds.OTPBuildsPath(r.Target.Arch, r.Target.OSDir) + "/" + b.Name + ".tar.gz"}
			}
		}
		return Choice{}
	}

	elixir, err := parseElixir(elixirReq)
	if err != nil {
		return Choice{}, err
	}

	if otpReq.Raw != "" {
		want, err := versions.ParseOTP(otpReq.Raw)
		if err != nil {
			return Choice{}, usererr.New("Unparsable Erlang/OTP version", fmt.Sprintf("%s (from %s)", err, otpReq.Source), "")
		}
		v, ok := versions.ResolveOTP(want, available)
		if !ok {
			return Choice{}, usererr.New("Erlang/OTP version not available",
				fmt.Sprintf("the index at %s has no Erlang/OTP %s for %s (asked for in %s); it has %s",
					r.Index.Base, otpReq.Raw, r.Target, otpReq.Source, list(available)),
				"ask for one of those versions, or point HEX_BUILDS_URL at an index that has it")
		}
		if elixirReq.Explicit() {
			if err := r.checkPair(ctx, elixirReq, elixir, v); err != nil {
				return Choice{}, err
			}
		}
		return pick(v), nil
	}

	// No OTP asked for: the newest that the chosen Elixir supports.
	elixirs, err := r.elixirBuilds(ctx)
	if err != nil {
		return Choice{}, err
	}
	var elixirVersions []versions.Version
	for _, b := range elixirs {
		elixirVersions = append(elixirVersions, b.Version)
	}
	ev, ok := versions.Resolve(elixir, elixirVersions)
	if !ok {
		return Choice{}, usererr.New("Elixir version not available",
			fmt.Sprintf("the index at %s has no Elixir %s (asked for in %s); it has %s",
				r.Index.Base, elixirReq.Raw, elixirReq.Source, list(elixirVersions)),
			"ask for one of those versions, or point HEX_BUILDS_URL at an index that has it")
	}
	hasElixir := map[int]bool{}
	for _, b := range elixirs {
		if versions.Compare(b.Version, ev) == 0 {
			hasElixir[b.OTPMajor] = true
		}
	}
	var best *versions.Version
	for _, v := range available {
		major := v.Major()
		if !hasElixir[major] || (elixir.OTPMajor != 0 && elixir.OTPMajor != major) {
			continue
		}
		if _, _, known := versions.OTPRange(ev); known && !versions.Compatible(ev, major) {
			continue
		}
		if v.Pre != "" {
			continue
		}
		if best == nil || versions.Compare(v, *best) > 0 {
			v := v
			best = &v
		}
	}
	if best == nil {
		return Choice{}, usererr.New("No Erlang/OTP for this Elixir",
			fmt.Sprintf("the index at %s has no Erlang/OTP build for %s that Elixir %s supports; it has %s",
				r.Index.Base, r.Target, ev, list(available)),
			"set BP_ERLANG_VERSION to one of those, or use an Elixir version that supports them")
	}
	return pick(*best), nil
}

// checkPair fails before any download when both versions were asked for
// and do not go together.
func (r Resolver) checkPair(ctx context.Context, elixirReq Request, elixir versions.Request, otp versions.Version) error {
	if elixir.OTPMajor != 0 && elixir.OTPMajor != otp.Major() {
		return usererr.New("Incompatible Elixir and Erlang/OTP",
			fmt.Sprintf("Elixir %s (from %s) is built for OTP %d, not Erlang/OTP %s", elixirReq.Raw, elixirReq.Source, elixir.OTPMajor, otp),
			fmt.Sprintf("ask for Erlang/OTP %d or an Elixir built for OTP %d", elixir.OTPMajor, otp.Major()))
	}
	if elixir.Exact == nil {
		return nil
	}
	ev := *elixir.Exact
	if lo, hi, known := versions.OTPRange(ev); known && !versions.Compatible(ev, otp.Major()) {
		return usererr.New("Incompatible Elixir and Erlang/OTP",
			fmt.Sprintf("Elixir %s (from %s) does not support Erlang/OTP %s", elixirReq.Raw, elixirReq.Source, otp),
			fmt.Sprintf("use Erlang/OTP %d to %d with Elixir %s", lo, hi, ev))
	}
	return nil
}

func list(vs []versions.Version) string {
	if len(vs) == 0 {
		return "none"
	}
	sorted := append([]versions.Version(nil), vs...)
	sort.Slice(sorted, func(i, j int) bool { return versions.Compare(sorted[i], sorted[j]) > 0 })
	seen := map[string]bool{}
	var names []string
	for _, v := range sorted {
		if s := v.String(); !seen[s] {
			seen[s] = true
			names = append(names, s)
		}
	}
	if len(names) > 8 {
		names = append(names[:8], "…")
	}
	return strings.Join(names, ", ")
}
