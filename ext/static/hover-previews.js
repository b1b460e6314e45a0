/* Hover previews (ext/hover_previews.py). Nothing is loaded until a reader points at or focuses a link: then
   the target page's previews (_static/previews/<page>.js) and, if the link has one, Popper and Tippy. */
(() => {
  "use strict";
  const root = new URL(document.documentElement.dataset.content_root ?? "", location.href);
  const staticURL = new URL("_static/", root);
  const libraries = (document.currentScript?.dataset.libraries ?? "").split(" ").filter(Boolean);
  const pages = new Map();  // page -> Promise of its previews ({tips, aliases}) or null
  const arrived = new Map();  // page -> resolve
  const seen = new WeakSet();  // links already handled
  let tippyReady = null;

  window.bookPreviews = (page, tips, aliases) => {
    arrived.get(page)?.({tips, aliases});
    arrived.delete(page);
  };

  const load = (url) => new Promise((resolve, reject) => {
    const script = document.createElement("script");
    script.src = url;
    script.onload = resolve;
    script.onerror = reject;
    document.head.append(script);
  });

  const previewsOf = (page) => {
    if (!pages.has(page)) {
      pages.set(page, new Promise((resolve) => {
        arrived.set(page, resolve);
        load(new URL(`previews/${page}.js`, staticURL)).catch(() => resolve(null));
      }));
    }
    return pages.get(page);
  };

  // The book's page and the id a link points to; null for a link that leaves the book.
  const targetOf = (link) => {
    if (link.classList.contains("headerlink")) return null;
    const url = new URL(link.getAttribute("href"), location.href);
    if (url.protocol !== root.protocol || url.host !== root.host || !url.pathname.startsWith(root.pathname)) {
      return null;
    }
    let path = decodeURIComponent(url.pathname.slice(root.pathname.length));
    if (path === "" || path.endsWith("/")) path += "index.html";
    if (!path.endsWith(".html")) return null;
    return {page: path.slice(0, -5), id: decodeURIComponent(url.hash.slice(1))};
  };

  const prepare = async (event) => {
    const link = event.target.closest?.("[role=main] a[href]");  // the page's text, not its navigation
    if (!link || seen.has(link)) return;
    seen.add(link);
    const target = targetOf(link);
    const data = target && await previewsOf(target.page);
    const html = data && (data.tips[target.id] ?? data.tips[data.aliases[target.id]]);
    if (!html) return;
    tippyReady ??= libraries.reduce((done, file) => done.then(() => load(new URL(file, staticURL))),
                                    Promise.resolve());
    await tippyReady;
    const content = document.createElement("div");
    content.innerHTML = html;
    const base = new URL(`${target.page}.html`, root);  // the preview's links are relative to its own page
    for (const [selector, attribute] of [["a[href]", "href"], ["img[src]", "src"]]) {
      for (const element of content.querySelectorAll(selector)) {
        element.setAttribute(attribute, new URL(element.getAttribute(attribute), base).href);
      }
    }
    const tip = tippy(link, {content, allowHTML: true, arrow: true, placement: "auto-start", maxWidth: 500});
    if (link.matches(":hover") || link === document.activeElement) tip.show();
  };

  document.addEventListener("mouseover", prepare, {passive: true});
  document.addEventListener("focusin", prepare);
})();
