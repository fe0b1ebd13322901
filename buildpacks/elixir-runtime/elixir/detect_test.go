package elixir_test

import (
	"bytes"
	"os"
	"testing"

	"github.com/BurntSushi/toml"
	"github.com/buildpacks/libcnb/v2"
	. "github.com/onsi/gomega"
	"github.com/paketo-buildpacks/libpak/v2/log"
	"github.com/sclevine/spec"

	"github.com/elixir-buildpacks/elixir-buildpacks/buildpacks/elixir-runtime/elixir"
	"github.com/elixir-buildpacks/elixir-buildpacks/internal/versions"
)

func testDetect(t *testing.T, when spec.G, it spec.S) {
	Expect := NewWithT(t).Expect

	// The buildpack's own buildpack.toml, as the lifecycle hands it over.
	realMetadata := func() map[string]interface{} {
		var bp struct {
			Metadata map[string]interface{} `toml:"metadata"`
		}
		data, err := os.ReadFile("../buildpack.toml")
		Expect(err).NotTo(HaveOccurred())
		Expect(toml.Unmarshal(data, &bp)).To(Succeed())
		return bp.Metadata
	}

	it("provides elixir and requires erlang at build time, handing it the default Elixir of buildpack.toml", func() {
		result, err := elixir.NewDetect(log.NewPaketoLogger(&bytes.Buffer{}))(libcnb.DetectContext{
			ApplicationPath: t.TempDir(),
			Buildpack:       libcnb.Buildpack{Metadata: realMetadata()},
		})
		Expect(err).NotTo(HaveOccurred())
		Expect(result).To(Equal(libcnb.DetectResult{
			Pass: true,
			Plans: []libcnb.BuildPlan{{
				Provides: []libcnb.BuildPlanProvide{{Name: "elixir"}},
				Requires: []libcnb.BuildPlanRequire{{Name: "erlang", Metadata: map[string]interface{}{"build": true, "default-elixir": "1.20"}}},
			}},
		}))
	})

	it("has a default Elixir line that the compatibility table knows, on current OTP", func() {
		result, err := elixir.NewDetect(log.NewPaketoLogger(&bytes.Buffer{}))(libcnb.DetectContext{Buildpack: libcnb.Buildpack{Metadata: realMetadata()}})
		Expect(err).NotTo(HaveOccurred())
		def := result.Plans[0].Requires[0].Metadata["default-elixir"].(string)
		req, err := versions.ParseElixir(def)
		Expect(err).NotTo(HaveOccurred())
		lo, hi, ok := versions.RequestOTPRange(*req.Exact)
		Expect(ok).To(BeTrue(), def)
		Expect(hi).To(BeNumerically(">=", 28), def)
		Expect(lo).To(BeNumerically(">=", 26), def)
	})
}
