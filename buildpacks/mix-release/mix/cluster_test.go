package mix_test

import (
	"os"
	"path/filepath"
	"testing"

	. "github.com/onsi/gomega"
	"github.com/sclevine/spec"

	"github.com/elixir-buildpacks/elixir-buildpacks/buildpacks/mix-release/mix"
)

func testCluster(t *testing.T, context spec.G, it spec.S) {
	var (
		Expect = NewWithT(t).Expect
		script string
		path   string
	)
	it.Before(func() {
		dir := t.TempDir()
		script = filepath.Join(dir, "cluster")
		Expect(os.WriteFile(script, []byte(mix.ClusterScript("ledger")), 0o755)).To(Succeed())
		// hostname -i as busybox answers it in a container on a bridge.
		bin := filepath.Join(dir, "bin")
		Expect(os.Mkdir(bin, 0o755)).To(Succeed())
		Expect(os.WriteFile(filepath.Join(bin, "hostname"), []byte("#!/bin/sh\necho 127.0.1.1 fd00::5 10.88.0.7 10.89.0.2\n"), 0o755)).To(Succeed())
		path = "PATH=" + bin + ":/usr/bin:/bin"
	})

	it("does nothing unless clustering is asked for", func() {
		Expect(execD(t, script, path)).To(BeEmpty())
		Expect(execD(t, script, path, "RELEASE_DISTRIBUTION=sname")).To(BeEmpty())
	})

	it("names the node after the container's first IPv4 address with long names when DNS_CLUSTER_QUERY is set", func() {
		Expect(execD(t, script, path, "DNS_CLUSTER_QUERY=ledger.default.svc.cluster.local", "RELEASE_COOKIE=c")).To(Equal(
			"RELEASE_DISTRIBUTION = \"name\"\nRELEASE_NODE = \"ledger@10.88.0.7\"\n"))
	})

	it("takes POD_IP first, and fills RELEASE_NODE when RELEASE_DISTRIBUTION=name asks for long names", func() {
		Expect(execD(t, script, path, "RELEASE_DISTRIBUTION=name", "POD_IP=10.1.2.3", "RELEASE_COOKIE=c")).To(Equal(
			"RELEASE_NODE = \"ledger@10.1.2.3\"\n"))
	})

	it("leaves RELEASE_NODE and RELEASE_DISTRIBUTION given at run time alone", func() {
		Expect(execD(t, script, path, "DNS_CLUSTER_QUERY=q", "RELEASE_NODE=a@b.example", "RELEASE_COOKIE=c")).To(Equal(
			"RELEASE_DISTRIBUTION = \"name\"\n"))
		Expect(execD(t, script, path, "DNS_CLUSTER_QUERY=q", "RELEASE_DISTRIBUTION=sname", "RELEASE_COOKIE=c")).To(BeEmpty())
	})

	it("says, on the log, that nodes cannot connect without one RELEASE_COOKIE, and makes none up", func() {
		out, log := execDStderr(t, script, path, "DNS_CLUSTER_QUERY=q")
		Expect(out).NotTo(ContainSubstring("RELEASE_COOKIE"))
		Expect(log).To(Equal("WARNING: clustering is asked for but RELEASE_COOKIE is unset: each container makes its own cookie, " +
			"so no node can connect to another; give every container the same RELEASE_COOKIE (from a secret)\n"))
		_, log = execDStderr(t, script, path, "DNS_CLUSTER_QUERY=q", "RELEASE_COOKIE=c")
		Expect(log).To(BeEmpty())
	})
}
