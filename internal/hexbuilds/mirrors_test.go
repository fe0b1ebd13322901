package hexbuilds_test

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"sync/atomic"
	"testing"
	"time"

	. "github.com/onsi/gomega"
	"github.com/sclevine/spec"

	"github.com/elixir-buildpacks/elixir-buildpacks/internal/hexbuilds"
)

func testSources(t *testing.T, when spec.G, it spec.S) {
	var (
		Expect   = NewWithT(t).Expect
		env      map[string]string
		bindings map[string]string
	)
	lookup := func(name string) (string, bool) { v, ok := env[name]; return v, ok }
	sources := func() []hexbuilds.Source {
		s, err := hexbuilds.Sources(lookup, bindings)
		Expect(err).NotTo(HaveOccurred())
		return s
	}
	sourcesErr := func() error {
		_, err := hexbuilds.Sources(lookup, bindings)
		return err
	}

	it.Before(func() {
		env = map[string]string{}
		bindings = map[string]string{}
	})

	it("defaults to builds.hex.pm", func() {
		Expect(sources()).To(Equal([]hexbuilds.Source{{Base: "https://builds.hex.pm", From: "the default"}}))
	})

	it("takes HEX_BUILDS_URL before HEX_MIRROR", func() {
		env["HEX_MIRROR"] = "https://hex-mirror.example"
		Expect(sources()).To(Equal([]hexbuilds.Source{{Base: "https://hex-mirror.example", From: "HEX_MIRROR"}}))
		env["HEX_BUILDS_URL"] = " /srv/index "
		Expect(sources()).To(Equal([]hexbuilds.Source{{Base: "/srv/index", From: "HEX_BUILDS_URL"}}))
	})

	it("ignores empty settings", func() {
		env["HEX_BUILDS_URL"] = ""
		env["HEX_MIRROR"] = "  "
		Expect(sources()[0].From).To(Equal("the default"))
	})

	it("appends BP_HEX_BUILDS_MIRRORS in order, split at commas or blanks", func() {
		env["HEX_BUILDS_URL"] = "http://127.0.0.1:1"
		env["BP_HEX_BUILDS_MIRRORS"] = "https://a.example/x, file:///mnt/idx\n/srv/index,,"
		Expect(sources()).To(Equal([]hexbuilds.Source{
			{Base: "http://127.0.0.1:1", From: "HEX_BUILDS_URL"},
			{Base: "https://a.example/x", From: "BP_HEX_BUILDS_MIRRORS"},
			{Base: "file:///mnt/idx", From: "BP_HEX_BUILDS_MIRRORS"},
			{Base: "/srv/index", From: "BP_HEX_BUILDS_MIRRORS"},
		}))
	})

	it("refuses bases it cannot use, naming the setting", func() {
		env["HEX_BUILDS_URL"] = "index"
		Expect(sourcesErr()).To(MatchError(`HEX_BUILDS_URL is "index", which is not an absolute folder path: write an http(s):// URL, a file:// URL or an absolute folder path`))
		env["HEX_BUILDS_URL"] = "ftp://user:secret@mirror.example"
		Expect(sourcesErr()).To(MatchError(`HEX_BUILDS_URL is "ftp://user:xxxxx@mirror.example", which has the unsupported scheme "ftp": write an http(s):// URL, a file:// URL or an absolute folder path`))
		env["HEX_BUILDS_URL"] = "https://"
		Expect(sourcesErr()).To(MatchError(`HEX_BUILDS_URL is "https://", which has no host: write an http(s):// URL, a file:// URL or an absolute folder path`))
		delete(env, "HEX_BUILDS_URL")
		env["BP_HEX_BUILDS_MIRRORS"] = "https://ok.example relative/dir"
		err := sourcesErr()
		Expect(err).To(MatchError(`BP_HEX_BUILDS_MIRRORS is "relative/dir", which is not an absolute folder path: write an http(s):// URL, a file:// URL or an absolute folder path`))
		var e *hexbuilds.Error
		Expect(errors.As(err, &e)).To(BeTrue())
		Expect(e.Headline).To(Equal("Bad build index URL"))
	})

	when("libpak's dependency mirrors", func() {
		it("replace the host of the default index", func() {
			env["BP_DEPENDENCY_MIRROR"] = "https://mirror.example/{originalHost}"
			Expect(sources()).To(Equal([]hexbuilds.Source{{
				Base: "https://mirror.example/builds.hex.pm",
				From: "BP_DEPENDENCY_MIRROR (replacing https://builds.hex.pm from the default)",
			}}))
		})

		it("prefer the host-specific variable and honour skip-path", func() {
			env["HEX_BUILDS_URL"] = "https://my-builds.example.com/hex/builds-root"
			env["BP_DEPENDENCY_MIRROR"] = "https://general.example"
			env["BP_DEPENDENCY_MIRROR_MY__BUILDS_EXAMPLE_COM"] = "http://127.0.0.1:8080/cache,skip-path=/hex"
			Expect(sources()[0]).To(Equal(hexbuilds.Source{
				Base: "http://127.0.0.1:8080/cache/builds-root",
				From: "BP_DEPENDENCY_MIRROR_MY__BUILDS_EXAMPLE_COM (replacing https://my-builds.example.com/hex/builds-root from HEX_BUILDS_URL)",
			}))
		})

		it("come from dependency-mirror bindings, the host before default", func() {
			bindings["default"] = "file:///mnt/all"
			Expect(sources()[0].Base).To(Equal("file:///mnt/all"))
			Expect(sources()[0].From).To(Equal("the dependency-mirror binding (replacing https://builds.hex.pm from the default)"))
			bindings["builds.hex.pm"] = "https://bound.example/{originalHost}/x"
			Expect(sources()[0].Base).To(Equal("https://bound.example/builds.hex.pm/x"))
			env["BP_DEPENDENCY_MIRROR"] = "https://env.example"
			Expect(sources()[0].Base).To(Equal("https://env.example"))
		})

		it("leave a local index and the mirror list alone", func() {
			env["BP_DEPENDENCY_MIRROR"] = "https://mirror.example"
			env["HEX_BUILDS_URL"] = "/srv/index"
			env["BP_HEX_BUILDS_MIRRORS"] = "https://builds.hex.pm"
			Expect(sources()).To(Equal([]hexbuilds.Source{
				{Base: "/srv/index", From: "HEX_BUILDS_URL"},
				{Base: "https://builds.hex.pm", From: "BP_HEX_BUILDS_MIRRORS"},
			}))
		})

		it("refuses a mirror with another scheme", func() {
			env["BP_DEPENDENCY_MIRROR"] = "ftp://mirror.example"
			Expect(sourcesErr()).To(MatchError(`BP_DEPENDENCY_MIRROR is "ftp://mirror.example", which is not usable: the scheme "ftp" is not https, http or file; write an https://, http:// or file:// URL, optionally with ,skip-path=/prefix, as libpak takes it`))
		})
	})

}

func testMirrors(t *testing.T, when spec.G, it spec.S) {
	var (
		Expect   = NewWithT(t).Expect
		ctx      = context.Background()
		good     *httptest.Server
		missing  *httptest.Server
		asked    atomic.Int32
		dead     string
		dest     string
		notes    []string
		mkIndex  func(bases ...string) hexbuilds.Index
		rel      = hexbuilds.OTPArchivePath("amd64", "ubuntu-22.04", "OTP-27.3.4")
		listPath = "/" + hexbuilds.OTPBuildsPath("amd64", "ubuntu-22.04") + "/builds.txt"
	)

	it.Before(func() {
		asked.Store(0)
		notes = nil
		good = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			asked.Add(1)
			switch r.URL.Path {
			case listPath:
				fmt.Fprint(w, otpList)
			case "/" + rel:
				fmt.Fprint(w, archive)
			default:
				http.NotFound(w, r)
			}
		}))
		missing = httptest.NewServer(http.NotFoundHandler())
		closed := httptest.NewServer(http.NotFoundHandler())
		dead = closed.URL
		closed.Close()
		dest = filepath.Join(t.TempDir(), "otp.tar.gz")
		mkIndex = func(bases ...string) hexbuilds.Index {
			ix := hexbuilds.NewIndex(bases...)
			for i := range ix.Clients {
				ix.Clients[i].Retries = 1
				ix.Clients[i].Backoff = time.Millisecond
			}
			ix.Notef = func(format string, args ...any) { notes = append(notes, fmt.Sprintf(format, args...)) }
			return ix
		}
	})

	it.After(func() {
		good.Close()
		missing.Close()
	})

	it("names its bases for the log without passwords", func() {
		ix := hexbuilds.NewIndex("https://u:secret@a.example/", "/srv/index")
		Expect(ix.Display()).To(Equal("https://u:xxxxx@a.example, then /srv/index"))
	})

	it("reads the list from the first index that has it", func() {
		ix := mkIndex(missing.URL, dead, good.URL)
		builds, err := ix.Builds(ctx, hexbuilds.OTPBuildsPath("amd64", "ubuntu-22.04"))
		Expect(err).NotTo(HaveOccurred())
		Expect(builds).To(Equal(parseList(otpList)))
		Expect(notes).To(HaveLen(2))
		Expect(notes[0]).To(Equal("index has no " + missing.URL + listPath + "; trying " + dead))
		Expect(notes[1]).To(HavePrefix("cannot reach the build index at " + dead + ": "))
		Expect(notes[1]).To(HaveSuffix("; trying " + good.URL))
	})

	it("skips an index found unreachable on later requests", func() {
		ix := mkIndex(dead, good.URL)
		_, err := ix.Builds(ctx, hexbuilds.OTPBuildsPath("amd64", "ubuntu-22.04"))
		Expect(err).NotTo(HaveOccurred())
		Expect(notes).To(HaveLen(1))
		notes = nil
		_, err = ix.Download(ctx, rel, archiveSHA, dest)
		Expect(err).NotTo(HaveOccurred())
		Expect(notes).To(BeEmpty())

		// The last one left is still asked.
		ix = mkIndex(good.URL, dead)
		_, err = ix.Builds(ctx, "builds/none")
		Expect(err).To(HaveOccurred())
		_, err = ix.Builds(ctx, "builds/none")
		Expect(err).To(MatchError(ContainSubstring("cannot reach the build index at " + dead)))
	})

	it("does not ask the mirrors when the first index answers", func() {
		ix := mkIndex(good.URL, dead)
		_, err := ix.Download(ctx, rel, archiveSHA, dest)
		Expect(err).NotTo(HaveOccurred())
		Expect(notes).To(BeEmpty())
	})

	it("downloads from a mirror and says where from", func() {
		ix := mkIndex(missing.URL, good.URL)
		from, err := ix.Download(ctx, rel, archiveSHA, dest)
		Expect(err).NotTo(HaveOccurred())
		Expect(from).To(Equal(good.URL + "/" + rel))
		Expect(os.ReadFile(dest)).To(Equal([]byte(archive)))
	})

	it("stops at a checksum mismatch", func() {
		ix := mkIndex(good.URL, missing.URL)
		_, err := ix.Download(ctx, rel, sum("other"), dest)
		Expect(errors.Is(err, hexbuilds.ErrChecksum)).To(BeTrue())
		Expect(err).To(MatchError(HavePrefix("checksum mismatch for " + good.URL + "/" + rel)))
		Expect(notes).To(BeEmpty())
		Expect(dest).NotTo(BeAnExistingFile())
	})

	it("keeps a lone index's own error", func() {
		ix := mkIndex(missing.URL)
		_, err := ix.Builds(ctx, "builds/elixir")
		Expect(err).To(MatchError("index has no " + missing.URL + "/builds/elixir/builds.txt: check HEX_BUILDS_URL or the version you asked for"))
	})

	it("names every index's failure when none has the file", func() {
		root := t.TempDir()
		ix := mkIndex(missing.URL, root)
		_, err := ix.Builds(ctx, "builds/elixir")
		Expect(err).To(MatchError("none of the 2 build indexes served builds/elixir/builds.txt (index has no " + missing.URL +
			"/builds/elixir/builds.txt; index has no " + filepath.Join(root, "builds/elixir/builds.txt") +
			"): check HEX_BUILDS_URL and BP_HEX_BUILDS_MIRRORS, or the version you asked for"))
		var e *hexbuilds.Error
		Expect(errors.As(err, &e)).To(BeTrue())
		Expect(e.Headline).To(Equal("Build not found"))
		Expect(errors.Is(err, hexbuilds.ErrNotFound)).To(BeTrue())

		ix = mkIndex(missing.URL, dead)
		_, err = ix.Builds(ctx, "builds/elixir")
		Expect(errors.As(err, &e)).To(BeTrue())
		Expect(e.Headline).To(Equal("Build index unreachable"))
	})

	it("stops when the context ends", func() {
		ix := mkIndex(dead, good.URL)
		cctx, cancel := context.WithCancel(ctx)
		cancel()
		_, err := ix.Builds(cctx, "builds/elixir")
		Expect(err).To(MatchError(context.Canceled))
		Expect(asked.Load()).To(BeZero())
	})

	it("refuses to work with no index", func() {
		_, err := hexbuilds.Index{}.Builds(ctx, "builds/elixir")
		Expect(err).To(MatchError("no build index configured"))
	})

	when("with dependency-mapping bindings", func() {
		it("downloads from the mapped URI first, verified", func() {
			local := filepath.Join(t.TempDir(), "otp.tgz")
			Expect(os.WriteFile(local, []byte(archive), 0o644)).To(Succeed())
			ix := mkIndex(good.URL)
			ix.Mappings = map[string]string{"sha256:" + archiveSHA: "file://" + local}
			from, err := ix.Download(ctx, rel, archiveSHA, dest)
			Expect(err).NotTo(HaveOccurred())
			Expect(from).To(Equal(local))
			Expect(asked.Load()).To(BeZero())

			ix.Mappings = map[string]string{archiveSHA: good.URL + "/" + rel}
			from, err = ix.Download(ctx, rel, archiveSHA, dest)
			Expect(err).NotTo(HaveOccurred())
			Expect(from).To(Equal(good.URL + "/" + rel))
		})

		it("falls back to the index when the mapping fails", func() {
			ix := mkIndex(good.URL)
			ix.Mappings = map[string]string{archiveSHA: filepath.Join(t.TempDir(), "gone.tgz")}
			from, err := ix.Download(ctx, rel, archiveSHA, dest)
			Expect(err).NotTo(HaveOccurred())
			Expect(from).To(Equal(good.URL + "/" + rel))
			Expect(notes).To(ConsistOf(HavePrefix("The dependency mapping for sha256 " + archiveSHA + " failed")))
		})

		it("refuses a mapped file with other bytes", func() {
			local := filepath.Join(t.TempDir(), "otp.tgz")
			Expect(os.WriteFile(local, []byte("tampered"), 0o644)).To(Succeed())
			ix := mkIndex(good.URL)
			ix.Mappings = map[string]string{archiveSHA: local}
			_, err := ix.Download(ctx, rel, archiveSHA, dest)
			Expect(errors.Is(err, hexbuilds.ErrChecksum)).To(BeTrue())
			Expect(asked.Load()).To(BeZero())
		})
	})
}
