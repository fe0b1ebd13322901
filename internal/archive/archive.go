// Package archive extracts the toolchain archives of the index: OTP's
// .tar.gz (one top folder, stripped) and Elixir's .zip (no top folder).
//
// Nothing it extracts lands outside the destination: every file, folder and
// link is made through an os.Root opened on the destination, so a path that
// climbs out, directly or through a link made by an earlier entry, fails at
// the system call rather than at a lexical check. On top of that it refuses
// symbolic links whose target is absolute or resolves outside the
// destination, so the extracted tree never points at the host (or, at
// launch, at the rest of the image). It keeps hard links, which libpak's
// extractor does not.
package archive

import (
	"archive/tar"
	"archive/zip"
	"compress/gzip"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"strings"
)

// ErrOutside is what every refusal of an entry that would land, or point,
// outside the destination wraps: the caller can tell a hostile or broken
// archive from a full disk.
var ErrOutside = errors.New("outside the destination")

// ExtractTarGz extracts a gzip'd tarball into dest, dropping the first
// strip path components of every entry. On any error dest is removed, so a
// refused archive leaves no half-extracted tree (or link out) behind.
func ExtractTarGz(file, dest string, strip int) error {
	return removeOnError(dest, extractTarGz(file, dest, strip))
}

// ExtractZip extracts a zip file into dest, dropping strip path components;
// on any error dest is removed.
func ExtractZip(file, dest string, strip int) error {
	return removeOnError(dest, extractZip(file, dest, strip))
}

func removeOnError(dest string, err error) error {
	if err != nil {
		_ = os.RemoveAll(dest)
	}
	return err
}

func extractTarGz(file, dest string, strip int) error {
	f, err := os.Open(file)
	if err != nil {
		return err
	}
	defer f.Close()
	gz, err := gzip.NewReader(f)
	if err != nil {
		return fmt.Errorf("%s is not a gzip file: %w", filepath.Base(file), err)
	}
	defer gz.Close()

	x, err := open(dest)
	if err != nil {
		return err
	}
	defer x.root.Close()

	tr := tar.NewReader(gz)
	for {
		h, err := tr.Next()
		if err == io.EOF {
			return x.checkLinks()
		}
		if err != nil {
			return fmt.Errorf("reading %s: %w", filepath.Base(file), err)
		}
		name, ok, err := entryPath(h.Name, strip)
		if err != nil || !ok {
			if err != nil {
				return err
			}
			continue
		}
		switch h.Typeflag {
		case tar.TypeDir:
			err = x.root.MkdirAll(name, 0o755)
		case tar.TypeSymlink:
			err = x.symlink(h.Name, h.Linkname, name)
		case tar.TypeLink:
			var from string
			from, ok, err = entryPath(h.Linkname, strip)
			if err == nil && ok {
				err = x.link(from, name)
			}
		case tar.TypeReg:
			err = x.writeFile(name, tr, h.FileInfo().Mode().Perm())
		}
		if err != nil {
			return x.failed(h.Name, name, err)
		}
	}
}

func extractZip(file, dest string, strip int) error {
	z, err := zip.OpenReader(file)
	if err != nil {
		return fmt.Errorf("%s is not a zip file: %w", filepath.Base(file), err)
	}
	defer z.Close()

	x, err := open(dest)
	if err != nil {
		return err
	}
	defer x.root.Close()

	for _, f := range z.File {
		name, ok, err := entryPath(f.Name, strip)
		if err != nil {
			return err
		}
		if !ok {
			continue
		}
		mode := f.Mode()
		switch {
		case mode.IsDir():
			err = x.root.MkdirAll(name, 0o755)
		case mode&os.ModeSymlink != 0:
			err = x.zipSymlink(f, name)
		default:
			err = x.zipFile(f, name)
		}
		if err != nil {
			return x.failed(f.Name, name, err)
		}
	}
	return x.checkLinks()
}

// extraction is one archive being written under root.
type extraction struct {
	root  *os.Root
	links []string // symbolic links made, checked once all entries exist
}

func open(dest string) (*extraction, error) {
	if err := os.MkdirAll(dest, 0o755); err != nil {
		return nil, err
	}
	root, err := os.OpenRoot(dest)
	if err != nil {
		return nil, err
	}
	return &extraction{root: root}, nil
}

// entryPath maps an archive entry to its slash-separated path under the
// destination; ok is false for entries consumed by strip. Entries whose
// name climbs out are refused here, with a clear message, before os.Root
// would refuse them anyway.
func entryPath(name string, strip int) (string, bool, error) {
	parts := strings.Split(strings.Trim(filepath.ToSlash(name), "/"), "/")
	if len(parts) <= strip || (len(parts) == 1 && parts[0] == ".") {
		return "", false, nil
	}
	rel := path.Clean(strings.Join(parts[strip:], "/"))
	if rel == "." {
		return "", false, nil
	}
	if rel == ".." || strings.HasPrefix(rel, "../") {
		return "", false, fmt.Errorf("archive entry %q points %w", name, ErrOutside)
	}
	return rel, true, nil
}

// failed names the entry an operation failed on. When the root refused it
// because its folder resolves outside (through links that each looked
// inside), it says so rather than quoting the system call.
func (x *extraction) failed(entry, name string, err error) error {
	if errors.Is(err, ErrOutside) {
		return err
	}
	if _, serr := x.root.Stat(path.Dir(name)); serr != nil && !errors.Is(serr, fs.ErrNotExist) {
		return fmt.Errorf("archive entry %q lands %w", entry, ErrOutside)
	}
	return fmt.Errorf("extracting %s: %w", entry, err)
}

func (x *extraction) writeFile(name string, r io.Reader, perm os.FileMode) error {
	if err := x.mkParent(name); err != nil {
		return err
	}
	// A link left at this name by an earlier entry is replaced, not
	// written through, as tar(1) does.
	if fi, err := x.root.Lstat(name); err == nil && fi.Mode()&fs.ModeSymlink != 0 {
		if err := x.root.Remove(name); err != nil {
			return err
		}
	}
	out, err := x.root.OpenFile(name, os.O_CREATE|os.O_TRUNC|os.O_WRONLY, perm|0o200)
	if err != nil {
		return err
	}
	if _, err := io.Copy(out, r); err != nil {
		out.Close()
		return err
	}
	return out.Close()
}

// symlink makes name a link to target after checking, lexically, that the
// target stays inside; checkLinks then resolves every link for real.
func (x *extraction) symlink(entry, target, name string) error {
	if path.IsAbs(target) || filepath.IsAbs(target) {
		return fmt.Errorf("archive entry %q links to %q, %w", entry, target, ErrOutside)
	}
	resolved := path.Clean(path.Join(path.Dir(name), filepath.ToSlash(target)))
	if resolved == ".." || strings.HasPrefix(resolved, "../") {
		return fmt.Errorf("archive entry %q links to %q, %w", entry, target, ErrOutside)
	}
	if err := x.mkParent(name); err != nil {
		return err
	}
	_ = x.root.Remove(name)
	if err := x.root.Symlink(target, name); err != nil {
		return err
	}
	x.links = append(x.links, name)
	return nil
}

func (x *extraction) link(from, name string) error {
	if err := x.mkParent(name); err != nil {
		return err
	}
	_ = x.root.Remove(name)
	return x.root.Link(from, name)
}

func (x *extraction) mkParent(name string) error {
	if dir := path.Dir(name); dir != "." {
		return x.root.MkdirAll(dir, 0o755)
	}
	return nil
}

// checkLinks follows every link made through the root: a chain of links
// that each look inside but together climb out fails here. A link to
// nothing is allowed (the archive may ship one); a link out is not.
func (x *extraction) checkLinks() error {
	for _, name := range x.links {
		if _, err := x.root.Stat(name); err != nil && !errors.Is(err, fs.ErrNotExist) {
			target, _ := x.root.Readlink(name)
			return fmt.Errorf("archive link %q to %q resolves %w", name, target, ErrOutside)
		}
	}
	return nil
}

func (x *extraction) zipFile(f *zip.File, name string) error {
	in, err := f.Open()
	if err != nil {
		return err
	}
	defer in.Close()
	perm := f.Mode().Perm()
	if perm == 0 {
		perm = 0o644 // zips made without Unix attributes
	}
	return x.writeFile(name, in, perm)
}

func (x *extraction) zipSymlink(f *zip.File, name string) error {
	in, err := f.Open()
	if err != nil {
		return err
	}
	defer in.Close()
	target, err := io.ReadAll(io.LimitReader(in, 4096))
	if err != nil {
		return err
	}
	return x.symlink(f.Name, string(target), name)
}
