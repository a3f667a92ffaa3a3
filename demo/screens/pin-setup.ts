// The PIN set-up region's screen: the offered security pictures as a radio group, the new PIN and the personal
// phrase that the PIN prompt shows from then on.
import { Secret, type SecurityImage } from '../../src/index.js';
import type { DemoActor } from '../demo-actor.js';
import { byId } from '../dom.js';
import { onSubmit, type PromptView } from '../prompts.js';
import type { RegionScreen } from '../screen.js';
import { limitLength } from '../words.js';

const newPin = byId<HTMLInputElement>('new-pin');
const personalPhrase = byId<HTMLInputElement>('personal-phrase');
const imageChoices = byId('image-choices');
const imageChoiceList = byId('image-choice-list');
const radios = () => Array.from(imageChoiceList.querySelectorAll<HTMLInputElement>('input[type="radio"]'));
limitLength('newPin', newPin);
limitLength('personalPhrase', personalPhrase);

export const pinSetupViews = {
  'pinSetup.choosing': {
    form: byId('pin-setup-form'),
    fields: { imageName: imageChoices, pin: newPin, personalPhrase },
    secrets: [newPin],
    fieldError: byId('pin-setup-error'),
    serverErrors: byId('pin-setup-server-errors'),
    onlyWhileShown: true,
    first: () => radios().find((radio) => radio.checked) ?? radios()[0] ?? newPin,
  },
} satisfies Record<string, PromptView>;

export function createPinSetupScreen(actor: DemoActor): RegionScreen {
  let offeredImages: readonly SecurityImage[] | undefined;

  // The image's name and the phrase are plain strings; the PIN is sent wrapped, as every secret, without the
  // spaces around it.
  onSubmit(pinSetupViews['pinSetup.choosing'].form, actor, () => ({
    type: 'SUBMIT_NEW_PIN',
    pin: new Secret(newPin.value.trim()),
    imageName: radios().find((radio) => radio.checked)?.value ?? '',
    personalPhrase: personalPhrase.value,
  }));

  /** The picker: a radio group of the offered pictures, each named by its file name. */
  function renderImageChoices(images: readonly SecurityImage[] | undefined): void {
    if (images === offeredImages) return;
    offeredImages = images;
    imageChoiceList.replaceChildren(
      ...(images ?? []).map((image) => {
        const choice = document.createElement('label');
        choice.className = 'choice';
        const radio = Object.assign(document.createElement('input'), {
          type: 'radio',
          name: 'imageName',
          value: image.fileName,
        });
        const picture = Object.assign(document.createElement('img'), {
          src: image.dataUrl,
          alt: image.fileName,
        });
        const caption = Object.assign(document.createElement('span'), { textContent: image.fileName });
        // The picture's alt text names the radio; the caption shows the same name to the eye.
        caption.setAttribute('aria-hidden', 'true');
        choice.append(radio, picture, caption);
        return choice;
      }),
    );
    imageChoices.hidden = !images?.length;
    // The set-up is over (or another began): its phrase goes with it.
    personalPhrase.value = '';
  }

  return {
    render({ context }) {
      renderImageChoices(context.securityImages);
      return false;
    },
  };
}
