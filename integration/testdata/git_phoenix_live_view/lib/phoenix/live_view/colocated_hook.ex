defmodule Phoenix.LiveView.ColocatedHook do
  @moduledoc """
  Stand-in for LiveView 1.1's colocated hooks: at compile time the hook's
  JavaScript is written where LiveView writes it,
  `Mix.Project.build_path()/phoenix-colocated/<app>/`, with an index.js
  exporting `hooks`, which Phoenix 1.8's app.js imports as
  "phoenix-colocated/<app>" through esbuild's NODE_PATH.
  """

  # Called from a module body, so it runs while that module compiles.
  def hook(name, js) do
    app = Mix.Project.config()[:app]
    dir = Path.join([Mix.Project.build_path(), "phoenix-colocated", to_string(app)])
    File.mkdir_p!(dir)
    file = String.replace(name, ".", "") <> ".js"
    File.write!(Path.join(dir, file), "export default " <> js <> "\n")

    hooks =
      Path.wildcard(Path.join(dir, "*.js"))
      |> Enum.map(&Path.basename(&1, ".js"))
      |> Enum.reject(&(&1 == "index"))
      |> Enum.sort()

    index =
      Enum.map_join(hooks, "", fn h -> ~s(import #{h} from "./#{h}.js"\n) end) <>
        "export const hooks = {" <> Enum.map_join(hooks, ", ", &~s("#{&1}": #{&1})) <> "}\n"

    File.write!(Path.join(dir, "index.js"), index)
    :ok
  end
end
