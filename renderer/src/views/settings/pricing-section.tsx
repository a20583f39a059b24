import { useEffect } from 'react';
import { useTranslation } from 'react-i18next';
import { MODEL_IDS, type ModelId } from '../../../../shared/models';
import {
  PRICE_FIELD,
  modelPriceCny,
  type Pricing,
  type SettingsView,
} from '../../../../shared/settings';
import { useApp } from '../../store/app-store';
import { useDraft } from '../../use-draft';

/**
 * A number field's text as sent: an empty field is not 0 but no number
 * (NaN crosses as null), so core refuses it in words instead of saving 0.
 */
const asNumber = (text: string): number => (text.trim() === '' ? Number.NaN : Number(text));

function NumberField({
  saved,
  label,
  step,
  commit,
  testId,
}: {
  saved: number;
  label: string;
  step: string;
  commit: (value: number) => void;
  testId: string;
}) {
  const draft = useDraft(String(saved), (text) => commit(asNumber(text)));
  return (
    <input
      type="number"
      inputMode="decimal"
      min={0}
      step={step}
      aria-label={label}
      {...draft}
      data-testid={testId}
    />
  );
}

/**
 * The prices per image and the free allowance, which quotes and budgets use.
 * DashScope reports neither the allowance nor what is left of it: the
 * allowance is the user's figure, the used count is Restyle's own (correctable).
 */
export function PricingSection({ settings }: { settings: SettingsView }) {
  const { t } = useTranslation();
  const { update, allowance, loadFreeAllowance, setFreeUsed } = useApp((s) => ({
    update: s.updateSettings,
    allowance: s.freeAllowance,
    loadFreeAllowance: s.loadFreeAllowance,
    setFreeUsed: s.setFreeUsed,
  }));
  // Read on every visit: a batch may have used free images meanwhile.
  useEffect(() => void loadFreeAllowance(), [loadFreeAllowance]);

  const price = (model: ModelId, cny: number) =>
    void update({ pricing: { [PRICE_FIELD[model]]: cny } as Partial<Pricing> });
  const use = (model: ModelId) => allowance?.find((entry) => entry.model === model);

  return (
    <section className="card" aria-labelledby="pricing-title" data-testid="pricing">
      <h2 id="pricing-title">{t('settings.pricing.title')}</h2>
      <p className="help">{t('settings.pricing.help')}</p>
      <label className="field">
        <span>{t('settings.pricing.allowance')}</span>
        <NumberField
          saved={settings.pricing.freeAllowance}
          label={t('settings.pricing.allowance')}
          step="1"
          commit={(value) => void update({ pricing: { freeAllowance: value } })}
          testId="free-allowance"
        />
      </label>
      <table className="pricing-table">
        <thead>
          <tr>
            <th scope="col">{t('settings.pricing.model')}</th>
            <th scope="col">{t('settings.pricing.price')}</th>
            <th scope="col">{t('settings.pricing.used')}</th>
            <th scope="col">{t('settings.pricing.left')}</th>
          </tr>
        </thead>
        <tbody>
          {MODEL_IDS.map((model) => (
            <tr key={model}>
              <th scope="row" className="mono">
                {model}
              </th>
              <td>
                <NumberField
                  saved={modelPriceCny(model, settings.pricing)}
                  label={t('settings.pricing.priceLabel', { model })}
                  step="0.0001"
                  commit={(value) => price(model, value)}
                  testId={`price-${model}`}
                />
              </td>
              <td>
                {use(model) && (
                  <NumberField
                    saved={use(model)?.used ?? 0}
                    label={t('settings.pricing.usedLabel', { model })}
                    step="1"
                    commit={(value) => void setFreeUsed(model, value)}
                    testId={`free-used-${model}`}
                  />
                )}
              </td>
              <td data-testid={`free-left-${model}`}>
                {use(model) && t('settings.pricing.leftValue', { count: use(model)?.left })}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <p className="help" data-testid="pricing-note">
        {t('settings.pricing.note')}
      </p>
    </section>
  );
}
