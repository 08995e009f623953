export class MenusView {
  constructor(root) { this.root = root; }
  show() {}
  relabel() {}
}
