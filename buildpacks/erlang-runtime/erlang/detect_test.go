package erlang_test

import (
	"bytes"
	"testing"

	"github.com/buildpacks/libcnb/v2"
	. "github.com/onsi/gomega"
	"github.com/paketo-buildpacks/libpak/v2/log"
	"github.com/sclevine/spec"

	"github.com/elixir-buildpacks/elixir-buildpacks/buildpacks/erlang-runtime/erlang"
)

func testDetect(t *testing.T, when spec.G, it spec.S) {
	Expect := NewWithT(t).Expect

	it("always provides erlang", func() {
		result, err := erlang.NewDetect(log.NewPaketoLogger(&bytes.Buffer{}))(libcnb.DetectContext{ApplicationPath: t.TempDir()})
		Expect(err).NotTo(HaveOccurred())
		Expect(result).To(Equal(libcnb.DetectResult{
			Pass:  true,
			Plans: []libcnb.BuildPlan{{Provides: []libcnb.BuildPlanProvide{{Name: "erlang"}}}},
		}))
	})
}
