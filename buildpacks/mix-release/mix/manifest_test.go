package mix_test

import (
	"os"
	"path/filepath"
	"testing"

	. "github.com/onsi/gomega"
	"github.com/sclevine/spec"

	"github.com/elixir-buildpacks/elixir-buildpacks/buildpacks/mix-release/mix"
)

func testManifest(t *testing.T, context spec.G, it spec.S) {
	Expect := NewWithT(t).Expect

	it("sets every mtime of phx.digest's manifest to 1980-01-01 and keeps the rest", func() {
		p := filepath.Join(t.TempDir(), "cache_manifest.json")
		// phx.digest's shape: latest, version, and digests with mtime.
		Expect(os.WriteFile(p, []byte(`{"latest":{"assets/app.js":"assets/app-0cc1.js"},"version":1,"digests":{"assets/app-0cc1.js":{"logical_path":"assets/app.js","mtime":63900000123,"size":12,"digest":"0cc1","sha512":"x=="},"robots-9a1b.txt":{"logical_path":"robots.txt","mtime":63900000456,"size":3,"digest":"9a1b","sha512":"y=="}}}`), 0o644)).To(Succeed())
		n, err := mix.StableManifest(p)
		Expect(err).NotTo(HaveOccurred())
		Expect(n).To(Equal(2))
		Expect(os.ReadFile(p)).To(MatchJSON(`{"latest":{"assets/app.js":"assets/app-0cc1.js"},"version":1,"digests":{"assets/app-0cc1.js":{"logical_path":"assets/app.js","mtime":62482752001,"size":12,"digest":"0cc1","sha512":"x=="},"robots-9a1b.txt":{"logical_path":"robots.txt","mtime":62482752001,"size":3,"digest":"9a1b","sha512":"y=="}}}`))
	})

	it("leaves a manifest without digests, and a missing one, alone", func() {
		dir := t.TempDir()
		n, err := mix.StableManifest(filepath.Join(dir, "cache_manifest.json"))
		Expect(err).NotTo(HaveOccurred())
		Expect(n).To(Equal(0))
		p := filepath.Join(dir, "old.json")
		Expect(os.WriteFile(p, []byte(`{"latest":{"app.js":"app-1.js"},"version":1}`), 0o644)).To(Succeed())
		n, err = mix.StableManifest(p)
		Expect(err).NotTo(HaveOccurred())
		Expect(n).To(Equal(0))
		Expect(os.ReadFile(p)).To(Equal([]byte(`{"latest":{"app.js":"app-1.js"},"version":1}`)))
	})
}
