// Package archive extracts the toolchain archives of the index: OTP's
// .tar.gz (one top folder, stripped) and Elixir's .zip (no top folder).
// It refuses entries that would land outside the destination and keeps
// hard links, which libpak's extractor does not.
package archive

import (
	"archive/tar"
	"archive/zip"
	"compress/gzip"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
)

// ExtractTarGz extracts a gzip'd tarball into dest, dropping the first
// strip path components of every entry.
func ExtractTarGz(path, dest string, strip int) error {
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	gz, err := gzip.NewReader(f)
	if err != nil {
		return fmt.Errorf("%s is not a gzip file: %w", filepath.Base(path), err)
	}
	defer gz.Close()

	tr := tar.NewReader(gz)
	for {
		h, err := tr.Next()
		if err == io.EOF {
			return nil
		}
		if err != nil {
			return fmt.Errorf("reading %s: %w", filepath.Base(path), err)
		}
		target, ok, err := targetPath(dest, h.Name, strip)
		if err != nil {
			return err
		}
		if !ok {
			continue
		}
		switch h.Typeflag {
		case tar.TypeDir:
			err = os.MkdirAll(target, 0o755)
		case tar.TypeSymlink:
			err = symlink(h.Linkname, target)
		case tar.TypeLink:
			var from string
			from, ok, err = targetPath(dest, h.Linkname, strip)
			if err == nil && ok {
				err = link(from, target)
			}
		case tar.TypeReg:
			err = writeFile(target, tr, h.FileInfo().Mode().Perm())
		}
		if err != nil {
			return fmt.Errorf("extracting %s: %w", h.Name, err)
		}
	}
}

// ExtractZip extracts a zip file into dest, dropping strip path components.
func ExtractZip(path, dest string, strip int) error {
	z, err := zip.OpenReader(path)
	if err != nil {
		return fmt.Errorf("%s is not a zip file: %w", filepath.Base(path), err)
	}
	defer z.Close()
	for _, f := range z.File {
		target, ok, err := targetPath(dest, f.Name, strip)
		if err != nil {
			return err
		}
		if !ok {
			continue
		}
		mode := f.Mode()
		switch {
		case mode.IsDir():
			err = os.MkdirAll(target, 0o755)
		case mode&os.ModeSymlink != 0:
			err = zipSymlink(f, target)
		default:
			err = zipFile(f, target)
		}
		if err != nil {
			return fmt.Errorf("extracting %s: %w", f.Name, err)
		}
	}
	return nil
}

// targetPath maps an archive entry to its place under dest; ok is false for
// entries consumed by strip. Entries escaping dest are an error.
func targetPath(dest, name string, strip int) (string, bool, error) {
	parts := strings.Split(strings.Trim(filepath.ToSlash(name), "/"), "/")
	if len(parts) <= strip || (len(parts) == 1 && parts[0] == ".") {
		return "", false, nil
	}
	rel := filepath.Clean(filepath.Join(parts[strip:]...))
	if rel == "." {
		return "", false, nil
	}
	if rel == ".." || strings.HasPrefix(rel, "../") || filepath.IsAbs(rel) {
		return "", false, fmt.Errorf("archive entry %q points outside the destination", name)
	}
	return filepath.Join(dest, rel), true, nil
}

func writeFile(target string, r io.Reader, perm os.FileMode) error {
	if err := os.MkdirAll(filepath.Dir(target), 0o755); err != nil {
		return err
	}
	out, err := os.OpenFile(target, os.O_CREATE|os.O_TRUNC|os.O_WRONLY, perm|0o200)
	if err != nil {
		return err
	}
	if _, err := io.Copy(out, r); err != nil {
		out.Close()
		return err
	}
	return out.Close()
}

func symlink(oldname, target string) error {
	if err := os.MkdirAll(filepath.Dir(target), 0o755); err != nil {
		return err
	}
	_ = os.Remove(target)
	return os.Symlink(oldname, target)
}

func link(from, target string) error {
	if err := os.MkdirAll(filepath.Dir(target), 0o755); err != nil {
		return err
	}
	_ = os.Remove(target)
	return os.Link(from, target)
}

func zipFile(f *zip.File, target string) error {
	in, err := f.Open()
	if err != nil {
		return err
	}
	defer in.Close()
	perm := f.Mode().Perm()
	if perm == 0 {
		perm = 0o644 // zips made without Unix attributes
	}
	return writeFile(target, in, perm)
}

func zipSymlink(f *zip.File, target string) error {
	in, err := f.Open()
	if err != nil {
		return err
	}
	defer in.Close()
	dest, err := io.ReadAll(in)
	if err != nil {
		return err
	}
	return symlink(string(dest), target)
}
