// Package hexinstalls reads the installs/ part of a builds.hex.pm-shaped
// index, where Mix's `local.hex` and `local.rebar` find the Hex archive and
// rebar3:
//
//	installs/hex-1.x.csv                      HEX_VERSION,SHA512,ELIXIR_VERSION...
//	installs/rebar3-1.x.csv                   REBAR3_VERSION,SHA512,ELIXIR_VERSION...
//	installs/{ELIXIR_VERSION}/hex-{V}.ez
//	installs/{ELIXIR_VERSION}/rebar3-{V}
//
// Mix up to Elixir 1.18.3 also demands a `.signed` copy of each CSV, signed
// with hex.pm's key (or one trusted with `mix local.public_keys`), which a
// private mirror cannot produce. The buildpack instead reads the CSV itself,
// checks each download against the sha512 the CSV gives, and hands the file
// to Mix (`mix archive.install FILE --sha512`, `MIX_REBAR3`): the same trust
// as in builds.txt for Erlang and Elixir, and no keys to juggle.
package hexinstalls

import (
	"bufio"
	"bytes"
	"context"
	"crypto/sha512"
	"encoding/hex"
	"fmt"
	"io"
	"os"
	"path"
	"path/filepath"
	"strings"

	"github.com/elixir-buildpacks/elixir-buildpacks/internal/versions"
)

// Artifacts of the installs/ folder.
const (
	Hex    = "hex"
	Rebar3 = "rebar3"
)

// Fetcher downloads one file of the index to destPath (the builds index
// client; sha256 checking is not used here, sha512 is checked after).
type Fetcher interface {
	Download(ctx context.Context, relPath, wantSHA256, destPath string) error
}

// Entry is one artifact build: the artifact's version, its sha512 and the
// Elixir version it was built for.
type Entry struct {
	Artifact string
	Version  string
	SHA512   string
	Elixir   string
}

// ListPath is the CSV listing an artifact's builds.
func ListPath(artifact string) string { return "installs/" + artifact + "-1.x.csv" }

// RelPath is the artifact file of the entry, relative to the index base.
func (e Entry) RelPath() string {
	name := e.Artifact + "-" + e.Version
	if e.Artifact == Hex {
		name += ".ez"
	}
	return path.Join("installs", e.Elixir, name)
}

// FileName is the name Mix expects the file to have (archive.install reads
// the archive's name and version from it).
func (e Entry) FileName() string { return path.Base(e.RelPath()) }

// ParseCSV reads an installs CSV. Lines are oldest first.
func ParseCSV(artifact string, r io.Reader) ([][]string, error) {
	var rows [][]string
	s := bufio.NewScanner(r)
	for n := 1; s.Scan(); n++ {
		line := strings.TrimSpace(s.Text())
		if line == "" {
			continue
		}
		fields := strings.Split(line, ",")
		for i := range fields {
			fields[i] = strings.TrimSpace(fields[i])
		}
		if len(fields) < 3 || fields[0] == "" || len(fields[1]) != 128 {
			return nil, fmt.Errorf("%s line %d is not VERSION,SHA512,ELIXIR_VERSION...: %q", ListPath(artifact), n, line)
		}
		rows = append(rows, fields)
	}
	return rows, s.Err()
}

// Pick chooses as Mix does: the newest artifact (the last line) that has a
// build for an Elixir no newer than the installed one; of that line, the
// first such Elixir version.
func Pick(artifact string, rows [][]string, elixir string) (Entry, bool) {
	for i := len(rows) - 1; i >= 0; i-- {
		for _, ev := range rows[i][2:] {
			if compare(ev, elixir) <= 0 {
				return Entry{Artifact: artifact, Version: rows[i][0], SHA512: strings.ToLower(rows[i][1]), Elixir: ev}, true
			}
		}
	}
	return Entry{}, false
}

// Resolve reads the artifact's CSV from the index and picks the build for
// the installed Elixir.
func Resolve(ctx context.Context, f Fetcher, artifact, elixir string) (Entry, error) {
	tmp, err := os.MkdirTemp("", "installs-")
	if err != nil {
		return Entry{}, err
	}
	defer os.RemoveAll(tmp)
	list := filepath.Join(tmp, "list.csv")
	if err := f.Download(ctx, ListPath(artifact), "", list); err != nil {
		return Entry{}, err
	}
	data, err := os.ReadFile(list)
	if err != nil {
		return Entry{}, err
	}
	rows, err := ParseCSV(artifact, bytes.NewReader(data))
	if err != nil {
		return Entry{}, err
	}
	e, ok := Pick(artifact, rows, elixir)
	if !ok {
		return Entry{}, fmt.Errorf("%s lists no %s built for Elixir %s or older", ListPath(artifact), artifact, elixir)
	}
	return e, nil
}

// ChecksumError is a download whose sha512 is not the one the CSV gives.
type ChecksumError struct{ Path, Want, Got string }

func (e *ChecksumError) Error() string {
	return fmt.Sprintf("checksum mismatch for %s: expected sha512 %s, got %s", e.Path, e.Want, e.Got)
}

// Download fetches the entry's file into dir under FileName and checks its
// sha512; on a mismatch the file is removed, so nothing unverified is kept.
func Download(ctx context.Context, f Fetcher, e Entry, dir string) (string, error) {
	tmp, err := os.MkdirTemp(dir, ".download-")
	if err != nil {
		return "", err
	}
	defer os.RemoveAll(tmp)
	part := filepath.Join(tmp, e.FileName())
	if err := f.Download(ctx, e.RelPath(), "", part); err != nil {
		return "", err
	}
	got, err := sha512File(part)
	if err != nil {
		return "", err
	}
	if got != e.SHA512 {
		return "", &ChecksumError{Path: e.RelPath(), Want: e.SHA512, Got: got}
	}
	dest := filepath.Join(dir, e.FileName())
	if err := os.Rename(part, dest); err != nil {
		return "", err
	}
	return dest, nil
}

func sha512File(p string) (string, error) {
	f, err := os.Open(p)
	if err != nil {
		return "", err
	}
	defer f.Close()
	h := sha512.New()
	if _, err := io.Copy(h, f); err != nil {
		return "", err
	}
	return hex.EncodeToString(h.Sum(nil)), nil
}

// compare orders Elixir versions as the resolver does (versions.Compare:
// rc.2 before rc.10); an unparsable one sorts first.
func compare(a, b string) int {
	va, oka := elixirVersion(a)
	vb, okb := elixirVersion(b)
	switch {
	case !oka && !okb:
		return 0
	case !oka:
		return -1
	case !okb:
		return 1
	}
	return versions.Compare(va, vb)
}

func elixirVersion(s string) (versions.Version, bool) {
	r, err := versions.ParseElixir(s)
	if err != nil || r.Exact == nil {
		return versions.Version{}, false
	}
	return *r.Exact, true
}
