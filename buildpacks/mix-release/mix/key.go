package mix

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"
)

// Key is what the compiled dependencies depend on: every entry is either a
// file (by its path relative to the project root, valued by its sha256) or
// a value (MIX_ENV, versions, target). Equal keys mean deps.get and
// deps.compile would do nothing new.
type Key map[string]string

// Value entries of a Key (file entries are paths, so they cannot clash).
const (
	keyMixEnv   = "MIX_ENV"
	keyOTP      = "otp"
	keyElixir   = "elixir"
	keyTarget   = "target"
	keyVendored = "vendored-deps"
	keyLayout   = "layout"
	// layoutVersion changes when the buildpack lays the deps out otherwise,
	// so caches from an older buildpack are rebuilt, not misread.
	layoutVersion = "1"
	absent        = "absent"
)

var valueNames = map[string]string{
	keyMixEnv:   "MIX_ENV",
	keyOTP:      "Erlang/OTP",
	keyElixir:   "Elixir",
	keyTarget:   "the target",
	keyVendored: "the committed deps/ folder",
	keyLayout:   "the buildpack's layout",
}

// KeyInputs are the values the key holds besides files.
type KeyInputs struct {
	Root     string
	Lockfile string // relative to Root, from Mix (lockfile: in mix.exs)
	MixEnv   string
	OTP      string
	Elixir   string
	Target   string
	Vendored bool // deps/ is committed with the app
}

// Folders never searched for mix.exs or config: fetched or built things.
var skipDirs = map[string]bool{"deps": true, "_build": true, "node_modules": true}

// DepsKey hashes mix.lock, every mix.exs of the tree (umbrella children and
// path deps), the compile-time config (config/**/*.exs but runtime.exs,
// beside each mix.exs), MIX_ENV, the OTP and Elixir versions and the target.
func DepsKey(in KeyInputs) (Key, error) {
	k := Key{
		keyMixEnv: in.MixEnv,
		keyOTP:    in.OTP,
		keyElixir: in.Elixir,
		keyTarget: in.Target,
		keyLayout: layoutVersion,
	}
	lock := in.Lockfile
	if lock == "" {
		lock = "mix.lock"
	}
	if !filepath.IsLocal(lock) {
		lock = "mix.lock"
	}
	sum, err := hashFile(filepath.Join(in.Root, lock))
	if err != nil {
		return nil, err
	}
	k[filepath.ToSlash(lock)] = sum

	err = filepath.WalkDir(in.Root, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() {
			if p != in.Root && (skipDirs[d.Name()] || strings.HasPrefix(d.Name(), ".")) {
				return filepath.SkipDir
			}
			return nil
		}
		if d.Name() != "mix.exs" || !d.Type().IsRegular() {
			return nil
		}
		if err := k.addFile(in.Root, p); err != nil {
			return err
		}
		return k.addConfig(in.Root, filepath.Join(filepath.Dir(p), "config"))
	})
	if err != nil {
		return nil, fmt.Errorf("hashing the project's mix.exs and config files: %w", err)
	}
	if in.Vendored {
		sum, err := hashTree(filepath.Join(in.Root, "deps"))
		if err != nil {
			return nil, fmt.Errorf("hashing the committed deps/ folder: %w", err)
		}
		k[keyVendored] = sum
	}
	return k, nil
}

func (k Key) addFile(root, p string) error {
	sum, err := hashFile(p)
	if err != nil {
		return err
	}
	r, err := filepath.Rel(root, p)
	if err != nil {
		return err
	}
	k[filepath.ToSlash(r)] = sum
	return nil
}

// addConfig adds the compile-time config files under dir: runtime.exs is
// read at boot, so changing it must not rebuild the deps.
func (k Key) addConfig(root, dir string) error {
	if fi, err := os.Stat(dir); err != nil || !fi.IsDir() {
		return nil
	}
	return filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() || !d.Type().IsRegular() || filepath.Ext(p) != ".exs" || d.Name() == "runtime.exs" {
			return nil
		}
		return k.addFile(root, p)
	})
}

// Metadata is the key as layer metadata.
func (k Key) Metadata() map[string]interface{} {
	m := make(map[string]interface{}, len(k))
	for name, v := range k {
		m[name] = v
	}
	return m
}

// Equal reports whether the metadata stored with a layer is this key.
func (k Key) Equal(stored map[string]interface{}) bool {
	return len(k.Changes(stored)) == 0
}

// Changes says, in words, how the stored key differs from this one:
// "mix.lock changed", "MIX_ENV changed (dev → prod)". Empty when equal.
func (k Key) Changes(stored map[string]interface{}) []string {
	old := map[string]string{}
	for name, v := range stored {
		if s, ok := v.(string); ok {
			old[name] = s
		}
	}
	if len(old) == 0 {
		return []string{"nothing cached yet"}
	}
	names := map[string]bool{}
	for n := range k {
		names[n] = true
	}
	for n := range old {
		names[n] = true
	}
	var files, values []string
	for _, n := range sortedNames(names) {
		was, had := old[n]
		now, has := k[n]
		if had && has && was == now {
			continue
		}
		if label, ok := valueNames[n]; ok {
			switch {
			case n == keyVendored && !had:
				values = append(values, "deps/ is now committed")
			case n == keyVendored && !has:
				values = append(values, "deps/ is no longer committed")
			case n == keyVendored || n == keyLayout:
				values = append(values, label+" changed")
			default:
				values = append(values, fmt.Sprintf("%s changed (%s → %s)", label, orNone(was), orNone(now)))
			}
			continue
		}
		switch {
		case !had || was == absent:
			files = append(files, n+" added")
		case !has || now == absent:
			files = append(files, n+" removed")
		default:
			files = append(files, n+" changed")
		}
	}
	return append(files, values...)
}

func orNone(s string) string {
	if s == "" {
		return "none"
	}
	return s
}

func sortedNames(m map[string]bool) []string {
	out := make([]string, 0, len(m))
	for n := range m {
		out = append(out, n)
	}
	sort.Strings(out)
	return out
}

func hashFile(p string) (string, error) {
	f, err := os.Open(p)
	if os.IsNotExist(err) {
		return absent, nil
	}
	if err != nil {
		return "", err
	}
	defer f.Close()
	h := sha256.New()
	if _, err := io.Copy(h, f); err != nil {
		return "", err
	}
	return "sha256:" + hex.EncodeToString(h.Sum(nil)), nil
}

// hashTree hashes every path, mode and file content under dir.
func hashTree(dir string) (string, error) {
	h := sha256.New()
	err := writeTree(h, dir)
	return "sha256:" + hex.EncodeToString(h.Sum(nil)), err
}

// writeTree writes every path under dir (relative, with slashes), its mode,
// a link's target and a file's content to w: the one way a tree is keyed,
// for a committed deps/ here and for the app's files in SourceKey.
func writeTree(w io.Writer, dir string) error {
	return filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		r, _ := filepath.Rel(dir, p)
		info, err := d.Info()
		if err != nil {
			return err
		}
		fmt.Fprintf(w, "%s %o\n", filepath.ToSlash(r), info.Mode())
		switch {
		case info.Mode()&fs.ModeSymlink != 0:
			target, err := os.Readlink(p)
			if err != nil {
				return err
			}
			fmt.Fprintf(w, "-> %s\n", target)
		case info.Mode().IsRegular():
			f, err := os.Open(p)
			if err != nil {
				return err
			}
			defer f.Close()
			if _, err := io.Copy(w, f); err != nil {
				return err
			}
		}
		return nil
	})
}
