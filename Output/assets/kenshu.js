// Kenshu: the accessibility tool (読み上げ, 拡大, 反転). Pages work without this script;
// the ☰ menu is a <details> element and needs none.
(function () {
  "use strict";
  var root = document.documentElement;
  function remember(key, on) { try { localStorage.setItem("kenshu-" + key, on ? "1" : ""); } catch (e) { /* file:// or private mode */ } }
  function recalled(key) { try { return localStorage.getItem("kenshu-" + key) === "1"; } catch (e) { return false; } }
  function toggle(button, key, className) {
    var on = !root.classList.contains(className);
    root.classList.toggle(className, on);
    button.setAttribute("aria-pressed", on ? "true" : "false");
    remember(key, on);
  }
  ["zoom", "invert"].forEach(function (key) {
    if (recalled(key)) root.classList.add("kenshu-" + key);
  });
  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("[data-a11y]").forEach(function (button) {
      var action = button.getAttribute("data-a11y");
      if (action === "zoom" || action === "invert") {
        button.setAttribute("aria-pressed", root.classList.contains("kenshu-" + action) ? "true" : "false");
        button.addEventListener("click", function () { toggle(button, action, "kenshu-" + action); });
      } else if (action === "speak") {
        if (!("speechSynthesis" in window)) {
          button.disabled = true;
          button.title = "このブラウザは読み上げに対応していません";
          return;
        }
        button.addEventListener("click", function () {
          if (speechSynthesis.speaking) { speechSynthesis.cancel(); button.setAttribute("aria-pressed", "false"); return; }
          var main = document.getElementById("main");
          var utterance = new SpeechSynthesisUtterance((main || document.body).innerText);
          utterance.lang = "ja-JP";
          utterance.onend = function () { button.setAttribute("aria-pressed", "false"); };
          button.setAttribute("aria-pressed", "true");
          speechSynthesis.speak(utterance);
        });
      }
    });
  });
})();
