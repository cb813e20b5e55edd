package org.lodge.billing.invoice;

import java.math.BigDecimal;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.lodge.billing.InvoiceView;
import org.lodge.billing.Money;

/** An invoice's totals: net per VAT rate, the tax on each rate's net (rounded once per rate), and the sums. */
record Totals(Money net, Money vat, Money gross, List<InvoiceView.RateTotal> rates) {

    static Totals of(List<InvoiceView.Line> lines) {
        Map<BigDecimal, Money> netByRate = new TreeMap<>();
        for (InvoiceView.Line line : lines) {
            netByRate.merge(line.vatRate().stripTrailingZeros(), line.net(), Money::plus);
        }
        List<InvoiceView.RateTotal> rates = netByRate.entrySet().stream()
                .map(e -> new InvoiceView.RateTotal(e.getKey().setScale(2), e.getValue(), e.getValue().percent(e.getKey())))
                .toList();
        Money net = rates.stream().map(InvoiceView.RateTotal::net).reduce(Money.ZERO, Money::plus);
        Money vat = rates.stream().map(InvoiceView.RateTotal::vat).reduce(Money.ZERO, Money::plus);
        return new Totals(net, vat, net.plus(vat), rates);
    }
}
