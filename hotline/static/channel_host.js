/* The call form: the host field (领导接听日 / 企业家接待日) shows only for the channels that need it. */
(function () {
  "use strict";
  var box = document.getElementById("channel-host-field");
  var channel = document.getElementById("channel");
  if (!box || !channel) return;
  var hosted = box.getAttribute("data-hosted").split(" ");
  channel.addEventListener("change", function () {
    box.hidden = hosted.indexOf(channel.value) < 0 && !box.querySelector(".error");
  });
})();
