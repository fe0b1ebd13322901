defmodule Mix.Tasks.Phx.Digest do
  @shortdoc "Digests the files in priv/static (a stand-in for Phoenix's)"
  @moduledoc """
  Like Phoenix's: every file in priv/static gets a copy named with the MD5
  of its content (app.js -> app-<md5>.js), and priv/static/cache_manifest.json
  maps each logical path to its digested one under "latest", with, under
  "digests", each digested file's logical path, size, digest, sha512 and
  mtime (the source file's modification time in Gregorian seconds, as
  Phoenix writes it: new on every build that rewrites the file).
  """
  use Mix.Task

  @impl true
  def run(_args) do
    static = "priv/static"

    files =
      Path.wildcard(Path.join(static, "**/*"))
      |> Enum.filter(&File.regular?/1)
      |> Enum.reject(&(Path.basename(&1) == "cache_manifest.json" or &1 =~ ~r/-[0-9a-f]{32}\./))

    entries =
      Enum.map(files, fn file ->
        content = File.read!(file)
        digest = :crypto.hash(:md5, content) |> Base.encode16(case: :lower)
        digested = Path.rootname(file) <> "-" <> digest <> Path.extname(file)
        File.cp!(file, digested)
        mtime = File.stat!(file, time: :universal).mtime |> :calendar.datetime_to_gregorian_seconds()
        logical = Path.relative_to(file, static)
        sha512 = :crypto.hash(:sha512, content) |> Base.encode64()
        {logical, Path.relative_to(digested, static), digest, byte_size(content), sha512, mtime}
      end)

    latest = Enum.map_join(Enum.sort(entries), ",", fn {l, d, _, _, _, _} -> ~s("#{l}":"#{d}") end)

    digests =
      Enum.map_join(Enum.sort(entries), ",", fn {l, d, dg, size, sha, mtime} ->
        ~s("#{d}":{"digest":"#{dg}","logical_path":"#{l}","mtime":#{mtime},"sha512":"#{sha}","size":#{size}})
      end)

    File.write!(
      Path.join(static, "cache_manifest.json"),
      ~s({"digests":{#{digests}},"latest":{#{latest}},"version":1})
    )

    Mix.shell().info("phx.digest: #{length(entries)} files digested into #{static}")
  end
end
