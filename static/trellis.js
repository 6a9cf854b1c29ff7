// Trellis progressive enhancement. Every page works without this file.
// Ask before a form marked data-confirm is sent.
document.addEventListener("submit", (event) => {
  const form = event.target;
  if (form instanceof HTMLFormElement && form.dataset.confirm && !window.confirm(form.dataset.confirm)) {
    event.preventDefault();
  }
});

// == profile: skill autocomplete ==
// An input with data-skill-search fills its <datalist> with skills whose name or alias
// matches what is typed ("JS" suggests JavaScript). Without this, the server resolves the
// typed name or alias itself.
document.querySelectorAll("input[data-skill-search]").forEach((input) => {
  const list = input.list;
  if (!list) return;
  let timer = null;
  let asked = "";
  input.addEventListener("input", () => {
    clearTimeout(timer);
    timer = setTimeout(async () => {
      const q = input.value.trim();
      if (q === asked || q.length < 1) return;
      asked = q;
      try {
        const res = await fetch(input.dataset.skillSearch + "?q=" + encodeURIComponent(q), {
          headers: { accept: "application/json" },
        });
        if (!res.ok || q !== input.value.trim()) return;
        const hits = await res.json();
        list.replaceChildren(...hits.map((h) => {
          const option = document.createElement("option");
          option.value = h.name;
          if (h.alias) option.label = h.name + " (" + h.alias + ")";
          return option;
        }));
      } catch (_) { /* the form still works without suggestions */ }
    }, 120);
  });
});
