// factdesk web desk: the claim inspector of the document page.
// Served from /static so the Content-Security-Policy can forbid every inline script. Without
// JavaScript the page still works: each claim links to its card (#claim-ID, shown by :target).
(function () {
  "use strict";
  var inspector = document.querySelector(".inspector");
  if (!inspector) {
    return;
  }
  var pinned = null;

  function claimOf(node) {
    return node && node.closest ? node.closest("a.claim[data-claim]") : null;
  }

  function show(id) {
    var cards = inspector.querySelectorAll(".card");
    for (var i = 0; i < cards.length; i++) {
      cards[i].classList.toggle("shown", cards[i].getAttribute("data-claim") === id);
    }
    inspector.classList.toggle("has-card", Boolean(id));
    var active = document.querySelectorAll("a.claim.active");
    for (var j = 0; j < active.length; j++) {
      active[j].classList.remove("active");
    }
    if (id) {
      var parts = document.querySelectorAll('a.claim[data-claim="' + CSS.escape(id) + '"]');
      for (var k = 0; k < parts.length; k++) {
        parts[k].classList.add("active");
      }
    }
  }

  document.addEventListener("mouseover", function (event) {
    var claim = claimOf(event.target);
    if (claim) {
      show(claim.getAttribute("data-claim"));
    }
  });
  document.addEventListener("mouseout", function (event) {
    var claim = claimOf(event.target);
    if (claim && !claimOf(event.relatedTarget)) {
      show(pinned);
    }
  });
  document.addEventListener("focusin", function (event) {
    var claim = claimOf(event.target);
    if (claim) {
      pinned = claim.getAttribute("data-claim");
      show(pinned);
    }
  });
  document.addEventListener("click", function (event) {
    var claim = claimOf(event.target);
    if (claim) {
      event.preventDefault();
      pinned = claim.getAttribute("data-claim");
      show(pinned);
    }
  });

  // Arriving from a citation: open the card of the claim that holds the cited passage.
  var cited = document.getElementById("hl");
  var holder = claimOf(cited);
  if (holder) {
    pinned = holder.getAttribute("data-claim");
    show(pinned);
  }
})();
