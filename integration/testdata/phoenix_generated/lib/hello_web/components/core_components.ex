defmodule HelloWeb.CoreComponents do
  @moduledoc """
  The generated core components' icon and flash markup, as plain strings
  (the Phoenix stand-in has no HEEx): what tailwind finds in lib/ and turns
  into the heroicons plugin's hero-* classes.
  """

  @doc "An icon from the heroicons dep: hero-<name>[-solid|-mini|-micro]."
  def icon(name, class \\ "h-5 w-5"), do: ~s(<span class="#{name} #{class}"></span>)

  @doc "The flash shown while the LiveView socket reconnects."
  def client_error do
    ~s(<p class="flex items-center gap-1.5 text-sm font-semibold">) <>
      "Attempting to reconnect " <>
      icon("hero-arrow-path", "ml-1 h-3 w-3 animate-spin") <>
      icon("hero-academic-cap-mini") <> "</p>"
  end
end
