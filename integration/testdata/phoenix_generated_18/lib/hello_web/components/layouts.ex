defmodule HelloWeb.Layouts do
  @moduledoc """
  Where Phoenix 1.8 keeps the theme toggle's colocated hook (a
  `<script :type={Phoenix.LiveView.ColocatedHook} name=".ThemeToggle">` in
  the real layout); the stand-in writes it while this module compiles.
  """

  Phoenix.LiveView.ColocatedHook.hook(".ThemeToggle", ~S"""
  {
    mounted() { this.el.dataset.kind = "colocated-hook-stand-in" }
  }
  """)
end
