export function mount(element) { element.textContent = "cart"; }
