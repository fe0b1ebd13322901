defmodule Mix.Tasks.Phx.Digest do
  @shortdoc "Digests the files in priv/static (a stand-in for Phoenix's)"
  @moduledoc """
  Like Phoenix's: every file in priv/static gets a copy named with the MD5
  of its content (app.js -> app-<md5>.js), and priv/static/cache_manifest.json
  maps each logical path to its digested one under "latest".
  """
  use Mix.Task

  @impl true
  def run(_args) do
    static = "priv/static"

    latest =
      Path.wildcard(Path.join(static, "**/*"))
      |> Enum.filter(&File.regular?/1)
      |> Enum.reject(&(Path.basename(&1) == "cache_manifest.json" or &1 =~ ~r/-[0-9a-f]{32}\./))
      |> Map.new(fn file ->
        digest = :crypto.hash(:md5, File.read!(file)) |> Base.encode16(case: :lower)
        ext = Path.extname(file)
        digested = Path.rootname(file) <> "-" <> digest <> ext
        File.cp!(file, digested)
        {Path.relative_to(file, static), Path.relative_to(digested, static)}
      end)

    entries = Enum.map_join(Enum.sort(latest), ",", fn {k, v} -> ~s("#{k}":"#{v}") end)
    File.write!(Path.join(static, "cache_manifest.json"), ~s({"version":1,"latest":{#{entries}}}))
    Mix.shell().info("phx.digest: #{map_size(latest)} files digested into #{static}")
  end
end
