// The words the page scripts show, in the page's language: the server writes them (api/i18n.py,
// JS_MESSAGES) into the page's #ui-text JSON; policekgText(id, values) fills their {placeholders}.
(function () {
  "use strict";
  var node = document.getElementById("ui-text");
  var words = node ? JSON.parse(node.textContent) : {};
  window.policekgText = function (id, values) {
    var text = Object.prototype.hasOwnProperty.call(words, id) ? words[id] : id;
    return text.replace(/\{(\w+)\}/g, function (all, name) {
      return values && Object.prototype.hasOwnProperty.call(values, name) ? String(values[name]) : all;
    });
  };
})();
