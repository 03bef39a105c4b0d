/**
 * The toolkit's label selectors: metav1.LabelSelector and label sets as
 * matchers. They live in api/label-selector.ts, which the CLI (berth play)
 * shares; controllers import them from here.
 */
export { everything, nothing, selectorFromLabelSelector, selectorFromSet, type Selector } from '../api/label-selector.ts';
