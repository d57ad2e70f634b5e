/** Expands an Adaptive Card template (adaptivecards-templating) into a Bot Framework attachment. */
import { CardFactory, type Attachment } from 'botbuilder';
import * as ACData from 'adaptivecards-templating';

export function renderCard(template: object, data: object): Attachment {
  const card = new ACData.Template(template).expand({ $root: data }) as object;
  return CardFactory.adaptiveCard(card);
}
