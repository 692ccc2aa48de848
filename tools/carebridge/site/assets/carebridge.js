/* CareBridge: the language menu keeps the reader's place. A link to the same page in another
   language takes the current #fragment along (step ids are the same in every language), so a
   nurse reading step 3 lands on step 3. Runs before the click, middle-click or keyboard opens it. */
(function () {
  "use strict";
  function keepPlace(event) {
    var link = event.target instanceof Element ? event.target.closest("a.cb-lang-link") : null;
    if (link) link.hash = window.location.hash;
  }
  ["pointerdown", "focusin", "click", "auxclick"].forEach(function (type) {
    document.addEventListener(type, keepPlace, true);
  });
})();
