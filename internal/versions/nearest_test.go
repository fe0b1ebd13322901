package versions_test

import (
	"testing"

	. "github.com/onsi/gomega"
	"github.com/sclevine/spec"

	"github.com/elixir-buildpacks/elixir-buildpacks/internal/versions"
)

func strs(vs []versions.Version) []string {
	out := []string{}
	for _, v := range vs {
		out = append(out, v.String())
	}
	return out
}

func otps(names ...string) []versions.Version {
	var out []versions.Version
	for _, n := range names {
		out = append(out, otp(n))
	}
	return out
}

func testNearest(t *testing.T, context spec.G, it spec.S) {
	Expect := NewWithT(t).Expect
	available := otps("24.3.4.17", "25.2.3", "25.3.2.12", "26.2.5", "26.2.5.1", "27.0-rc1", "27.0", "27.3.4", "28.0.1", "25.3.2.12")

	it("offers the versions closest to what was asked, newest first", func() {
		Expect(strs(versions.Nearest(otp("26.2.4"), available, 3))).To(Equal([]string{"27.3.4", "26.2.5.1", "26.2.5"}))
		Expect(strs(versions.Nearest(otp("25.1"), available, 2))).To(Equal([]string{"25.3.2.12", "25.2.3"}))
		Expect(strs(versions.Nearest(otp("29"), available, 2))).To(Equal([]string{"28.0.1", "27.3.4"}))
		Expect(strs(versions.Nearest(otp("23"), available, 1))).To(Equal([]string{"24.3.4.17"}))
	})

	it("leaves out pre-releases unless one was asked for", func() {
		Expect(strs(versions.Nearest(otp("27.0-rc2"), available, 2))).To(Equal([]string{"27.0", "27.0-rc1"}))
		Expect(strs(versions.Nearest(otp("27.1"), available, 3))).To(Equal([]string{"28.0.1", "27.3.4", "27.0"}))
	})

	it("copes with nothing", func() {
		Expect(versions.Nearest(otp("27"), nil, 3)).To(BeEmpty())
	})

	it("Newest lists releases only, without repeats", func() {
		Expect(strs(versions.Newest(available, 3))).To(Equal([]string{"28.0.1", "27.3.4", "27.0"}))
		Expect(versions.Newest(nil, 3)).To(BeEmpty())
	})

	it("RequestOTPRange spans a minor's patch releases", func() {
		for in, want := range map[string][2]int{"1.14": {23, 26}, "1.14.0": {23, 25}, "1.18": {25, 27}, "1.20": {27, 29}} {
			lo, hi, ok := versions.RequestOTPRange(ex(in))
			Expect(ok).To(BeTrue())
			Expect([2]int{lo, hi}).To(Equal(want), in)
		}
		_, _, ok := versions.RequestOTPRange(ex("1.13"))
		Expect(ok).To(BeFalse())
	})
}
