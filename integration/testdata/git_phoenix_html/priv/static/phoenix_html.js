"use strict";
(function () {
  // Stand-in for phoenix_html's data-confirm/data-method handling.
  window.phoenixHtmlStandIn = "phoenix-html-stand-in";
})();
