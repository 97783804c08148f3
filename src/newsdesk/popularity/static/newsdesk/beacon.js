// Count one view of the article this page shows (a file, not inline: the
// Content-Security-Policy allows scripts from the site only).
(function () {
  "use strict";
  var script = document.currentScript;
  var address = script && script.getAttribute("data-beacon");
  if (!address) {
    return;
  }
  if (!(navigator.sendBeacon && navigator.sendBeacon(address))) {
    new Image().src = address;
  }
})();
