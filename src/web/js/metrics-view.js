export class MetricsView {
  constructor(root) { this.root = root; }
  show() {}
  relabel() {}
}
