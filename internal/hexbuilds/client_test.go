package hexbuilds_test

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	. "github.com/onsi/gomega"
	"github.com/sclevine/spec"

	"github.com/elixir-buildpacks/elixir-buildpacks/internal/hexbuilds"
)

const archive = "pretend this is OTP-27.3.4.tar.gz\n"

var archiveSHA = sum(archive)

func sum(s string) string {
	h := sha256.Sum256([]byte(s))
	return hex.EncodeToString(h[:])
}

func testClient(t *testing.T, when spec.G, it spec.S) {
	var (
		Expect = NewWithT(t).Expect

		// files is the index the test server serves; failures makes the
		// first requests for a path answer with a status code instead.
		files    map[string]string
		failures map[string][]int
		requests map[string]*atomic.Int32
		srv      *httptest.Server
		client   hexbuilds.Client
		dest     string
		ctx      = context.Background()
	)

	count := func(p string) int32 {
		if c := requests[p]; c != nil {
			return c.Load()
		}
		return 0
	}

	// leftovers lists what a download left beside dest.
	leftovers := func() []string {
		entries, err := os.ReadDir(filepath.Dir(dest))
		Expect(err).NotTo(HaveOccurred())
		var names []string
		for _, e := range entries {
			names = append(names, e.Name())
		}
		return names
	}

	it.Before(func() {
		files = map[string]string{
			"/builds/elixir/builds.txt":                          elixirList,
			"/builds/otp/amd64/ubuntu-22.04/builds.txt":          otpList,
			"/builds/otp/amd64/ubuntu-22.04/OTP-27.3.4.tar.gz":   archive,
			"/builds/otp/amd64/ubuntu-22.04/OTP-27.0-rc1.tar.gz": "rc",
		}
		failures = map[string][]int{}
		requests = map[string]*atomic.Int32{}
		for p := range files {
			requests[p] = &atomic.Int32{}
		}
		srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			c := requests[r.URL.Path]
			if c == nil {
				http.NotFound(w, r)
				return
			}
			n := int(c.Add(1))
			if f := failures[r.URL.Path]; n <= len(f) {
				if f[n-1] == -1 {
					// Promise the whole body, send a tenth, hang up.
					body := files[r.URL.Path]
					w.Header().Set("Content-Length", strconv.Itoa(len(body)))
					w.Write([]byte(body[:len(body)/10]))
					return
				}
				w.WriteHeader(f[n-1])
				return
			}
			w.Write([]byte(files[r.URL.Path]))
		}))
		client = hexbuilds.NewClient(srv.URL + "/")
		client.HTTP = srv.Client()
		client.Backoff = time.Millisecond
		dest = filepath.Join(t.TempDir(), "cache", "otp.tar.gz")
	})

	it.After(func() {
		srv.Close()
	})

	when("NewClient", func() {
		it("trims the trailing slash and retries three times", func() {
			c := hexbuilds.NewClient("https://mirror.example//")
			Expect(c.Base).To(Equal("https://mirror.example"))
			Expect(c.Retries).To(Equal(3))
			Expect(c.Backoff).To(BeNumerically(">", 0))
		})

		it("defaults to builds.hex.pm", func() {
			Expect(hexbuilds.NewClient("").Base).To(Equal("https://builds.hex.pm"))
			Expect(hexbuilds.NewClient("/").Base).To(Equal("/"))
		})
	})

	when("Builds", func() {
		it("fetches and parses a listing", func() {
			builds, err := client.Builds(ctx, hexbuilds.OTPBuildsPath("amd64", "ubuntu-22.04"))
			Expect(err).NotTo(HaveOccurred())
			Expect(builds).To(Equal(parseList(otpList)))
		})

		it("retries after 503s", func() {
			failures["/builds/elixir/builds.txt"] = []int{503, 503}
			builds, err := client.Builds(ctx, hexbuilds.ElixirBuildsPath)
			Expect(err).NotTo(HaveOccurred())
			Expect(builds).To(HaveLen(8))
			Expect(count("/builds/elixir/builds.txt")).To(Equal(int32(3)))
		})

		it("retries after 429 and a cut-off body", func() {
			failures["/builds/elixir/builds.txt"] = []int{429, -1}
			_, err := client.Builds(ctx, hexbuilds.ElixirBuildsPath)
			Expect(err).NotTo(HaveOccurred())
			Expect(count("/builds/elixir/builds.txt")).To(Equal(int32(3)))
		})

		it("does not retry a 404", func() {
			_, err := client.Builds(ctx, "builds/otp/riscv64/ubuntu-22.04")
			Expect(err).To(MatchError("index has no " + srv.URL + "/builds/otp/riscv64/ubuntu-22.04/builds.txt: check HEX_BUILDS_URL or the version you asked for"))
			Expect(count("/builds/otp/riscv64/ubuntu-22.04/builds.txt")).To(BeZero())

			failures["/builds/elixir/builds.txt"] = []int{404, 404}
			_, err = client.Builds(ctx, hexbuilds.ElixirBuildsPath)
			var e *hexbuilds.Error
			Expect(errors.As(err, &e)).To(BeTrue())
			Expect(e.Headline).To(Equal("Build not found"))
			Expect(e.Cause).To(Equal("index has no " + srv.URL + "/builds/elixir/builds.txt"))
			Expect(e.Fix).To(Equal("check HEX_BUILDS_URL or the version you asked for"))
			Expect(count("/builds/elixir/builds.txt")).To(Equal(int32(1)))
		})

		it("does not retry other client errors", func() {
			failures["/builds/elixir/builds.txt"] = []int{403}
			_, err := client.Builds(ctx, hexbuilds.ElixirBuildsPath)
			Expect(err).To(MatchError("the build index answered 403 Forbidden for " + srv.URL + "/builds/elixir/builds.txt: check HEX_BUILDS_URL or set it to a reachable mirror"))
			Expect(count("/builds/elixir/builds.txt")).To(Equal(int32(1)))
		})

		it("gives up after the retries", func() {
			failures["/builds/elixir/builds.txt"] = []int{503, 502, 500, 503, 503}
			_, err := client.Builds(ctx, hexbuilds.ElixirBuildsPath)
			Expect(err).To(MatchError("cannot reach the build index at " + srv.URL + ": GET " + srv.URL + "/builds/elixir/builds.txt: 503 Service Unavailable; check HEX_BUILDS_URL or set it to a reachable mirror"))
			Expect(count("/builds/elixir/builds.txt")).To(Equal(int32(4)))
			var e *hexbuilds.Error
			Expect(errors.As(err, &e)).To(BeTrue())
			Expect(e.Headline).To(Equal("Build index unreachable"))
		})

		it("gives up on a server that is gone", func() {
			srv.Close()
			client.Retries = 1
			_, err := client.Builds(ctx, hexbuilds.ElixirBuildsPath)
			Expect(err).To(MatchError(HavePrefix("cannot reach the build index at " + srv.URL + ": ")))
			Expect(err).To(MatchError(HaveSuffix("; check HEX_BUILDS_URL or set it to a reachable mirror")))
		})

		it("stops waiting when the context ends", func() {
			failures["/builds/elixir/builds.txt"] = []int{503, 503}
			client.Backoff = time.Hour
			ctx, cancel := context.WithTimeout(ctx, 50*time.Millisecond)
			defer cancel()
			_, err := client.Builds(ctx, hexbuilds.ElixirBuildsPath)
			Expect(err).To(MatchError(context.DeadlineExceeded))
			Expect(count("/builds/elixir/builds.txt")).To(Equal(int32(1)))
		})

		it("reports a listing it cannot parse", func() {
			files["/builds/elixir/builds.txt"] = "v1.18.4-otp-27 only-two\n"
			_, err := client.Builds(ctx, hexbuilds.ElixirBuildsPath)
			Expect(err).To(MatchError("cannot parse " + srv.URL + "/builds/elixir/builds.txt: builds.txt line 1: want NAME GITSHA DATE [SHA256], got 2 fields; check HEX_BUILDS_URL points at a builds.hex.pm-style index"))
		})

		it("explains a base that is not a URL", func() {
			client.Base = "http://bad host"
			_, err := client.Builds(ctx, hexbuilds.ElixirBuildsPath)
			var e *hexbuilds.Error
			Expect(errors.As(err, &e)).To(BeTrue())
			Expect(e.Headline).To(Equal("Bad build index URL"))
		})
	})

	when("Download", func() {
		otpArchive := hexbuilds.OTPArchivePath("amd64", "ubuntu-22.04", "OTP-27.3.4")

		it("stores a verified archive and nothing else", func() {
			Expect(client.Download(ctx, otpArchive, archiveSHA, dest)).To(Succeed())
			Expect(os.ReadFile(dest)).To(Equal([]byte(archive)))
			info, err := os.Stat(dest)
			Expect(err).NotTo(HaveOccurred())
			Expect(info.Mode().Perm()).To(Equal(os.FileMode(0o644)))
			Expect(leftovers()).To(Equal([]string{"otp.tar.gz"}))
		})

		it("accepts an upper-case checksum", func() {
			Expect(client.Download(ctx, otpArchive, strings.ToUpper(archiveSHA), dest)).To(Succeed())
		})

		it("skips verification when the index lists no checksum", func() {
			Expect(client.Download(ctx, otpArchive, "", dest)).To(Succeed())
			Expect(os.ReadFile(dest)).To(Equal([]byte(archive)))
		})

		it("retries after 503s", func() {
			failures["/"+otpArchive] = []int{503, 503}
			Expect(client.Download(ctx, otpArchive, archiveSHA, dest)).To(Succeed())
			Expect(count("/" + otpArchive)).To(Equal(int32(3)))
			Expect(leftovers()).To(Equal([]string{"otp.tar.gz"}))
		})

		it("retries a truncated body", func() {
			failures["/"+otpArchive] = []int{-1}
			Expect(client.Download(ctx, otpArchive, archiveSHA, dest)).To(Succeed())
			Expect(count("/" + otpArchive)).To(Equal(int32(2)))
			Expect(os.ReadFile(dest)).To(Equal([]byte(archive)))
			Expect(leftovers()).To(Equal([]string{"otp.tar.gz"}))
		})

		it("leaves nothing behind when every body is truncated", func() {
			failures["/"+otpArchive] = []int{-1, -1}
			client.Retries = 1
			err := client.Download(ctx, otpArchive, archiveSHA, dest)
			Expect(err).To(MatchError("cannot reach the build index at " + srv.URL + ": unexpected EOF; check HEX_BUILDS_URL or set it to a reachable mirror"))
			Expect(count("/" + otpArchive)).To(Equal(int32(2)))
			Expect(dest).NotTo(BeAnExistingFile())
			Expect(leftovers()).To(BeEmpty())
		})

		it("refuses a checksum mismatch without retrying or caching", func() {
			want := sum("something else")
			err := client.Download(ctx, otpArchive, want, dest)
			Expect(err).To(MatchError("checksum mismatch for " + srv.URL + "/" + otpArchive + ": expected sha256 " + want + ", got " + archiveSHA + "; the mirror or download is corrupt, nothing was cached"))
			var e *hexbuilds.Error
			Expect(errors.As(err, &e)).To(BeTrue())
			Expect(e.Headline).To(Equal("Checksum mismatch"))
			Expect(count("/" + otpArchive)).To(Equal(int32(1)))
			Expect(dest).NotTo(BeAnExistingFile())
			Expect(leftovers()).To(BeEmpty())
		})

		it("reports a missing archive", func() {
			rel := hexbuilds.OTPArchivePath("amd64", "ubuntu-22.04", "OTP-99.0")
			err := client.Download(ctx, rel, archiveSHA, dest)
			Expect(err).To(MatchError("index has no " + srv.URL + "/" + rel + ": check HEX_BUILDS_URL or the version you asked for"))
			Expect(dest).NotTo(BeAnExistingFile())
			Expect(leftovers()).To(BeEmpty())
		})

		it("reports a folder it cannot write", func() {
			blocker := filepath.Join(t.TempDir(), "file")
			Expect(os.WriteFile(blocker, nil, 0o644)).To(Succeed())
			err := client.Download(ctx, otpArchive, archiveSHA, filepath.Join(blocker, "otp.tar.gz"))
			Expect(err).To(HaveOccurred())
			Expect(count("/" + otpArchive)).To(BeZero())
		})
	})

	when("with a local folder as the index", func() {
		var root string

		it.Before(func() {
			root = t.TempDir()
			for p, body := range files {
				full := filepath.Join(root, filepath.FromSlash(p))
				Expect(os.MkdirAll(filepath.Dir(full), 0o755)).To(Succeed())
				Expect(os.WriteFile(full, []byte(body), 0o644)).To(Succeed())
			}
		})

		for _, form := range []string{"path", "file URL"} {
			base := func() string {
				if form == "path" {
					return root + "/"
				}
				return "file://" + root
			}

			it("reads listings and archives by "+form, func() {
				c := hexbuilds.NewClient(base())
				builds, err := c.Builds(ctx, hexbuilds.OTPBuildsPath("amd64", "ubuntu-22.04"))
				Expect(err).NotTo(HaveOccurred())
				Expect(builds).To(Equal(parseList(otpList)))

				rel := hexbuilds.OTPArchivePath("amd64", "ubuntu-22.04", "OTP-27.3.4")
				Expect(c.Download(ctx, rel, archiveSHA, dest)).To(Succeed())
				Expect(os.ReadFile(dest)).To(Equal([]byte(archive)))
			})

			it("reports a missing file by "+form, func() {
				c := hexbuilds.NewClient(base())
				rel := hexbuilds.ElixirArchivePath("v9.9.9-otp-99")
				err := c.Download(ctx, rel, "", dest)
				Expect(err).To(MatchError("index has no " + filepath.Join(root, rel) + ": check HEX_BUILDS_URL or the version you asked for"))
				Expect(dest).NotTo(BeAnExistingFile())
			})
		}

		it("refuses a corrupt local archive and leaves nothing", func() {
			c := hexbuilds.NewClient(root)
			rel := hexbuilds.OTPArchivePath("amd64", "ubuntu-22.04", "OTP-27.0-rc1")
			err := c.Download(ctx, rel, archiveSHA, dest)
			Expect(err).To(MatchError("checksum mismatch for " + filepath.Join(root, rel) + ": expected sha256 " + archiveSHA + ", got " + sum("rc") + "; the mirror or download is corrupt, nothing was cached"))
			Expect(dest).NotTo(BeAnExistingFile())
			Expect(leftovers()).To(BeEmpty())
		})

		it("reports an unreadable entry", func() {
			c := hexbuilds.NewClient(root)
			err := c.Download(ctx, "builds", "", dest)
			Expect(err).To(HaveOccurred())
			Expect(dest).NotTo(BeAnExistingFile())
		})
	})
}
